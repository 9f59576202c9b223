def test_order(order):
    assert order == {"customer": "alice"}
