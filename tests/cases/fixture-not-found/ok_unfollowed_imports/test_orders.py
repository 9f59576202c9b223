def test_orders(orders):
    assert orders
