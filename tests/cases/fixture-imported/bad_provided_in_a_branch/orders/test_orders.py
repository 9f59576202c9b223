# The conftest provides the same fixture, but only when its `if` runs: the import is not redundant.
from helpers.fixtures import customer


def test_order_for_a_customer(customer):
    assert customer["name"] == "ada"
