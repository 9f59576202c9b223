from helpers.orders import make_order


def test_order(order, account):
    assert order == {"id": 2} and account == {"id": 1} and make_order()
