from shop.orders import Order
from shop.payments import charge


def test_charge():
    assert charge(Order())
