from helpers import customer


def test_order_for_a_customer(customer):
    assert customer["name"] == "ada"
