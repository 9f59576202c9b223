from shop.orders import Order, Refund


def test_order():
    assert Order()
