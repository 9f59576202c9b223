# The conftest provides the same fixture: the import only repeats it.
from helpers.fixtures import token_for


def test_order_for_a_customer(customer):
    assert token_for(customer["name"]) == "token-ada"
