# The folder's conftest overrides the shop's `basket`: without the import, the tests here would
# get the folder's, not the one the shop's conftest re-exports from the same module.
from helpers.fixtures import basket


def test_basket(basket):
    assert basket == "helpers"
