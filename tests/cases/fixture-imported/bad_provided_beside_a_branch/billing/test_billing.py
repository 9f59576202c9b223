# Provided only by the star import under the `if`, whose `__all__` lists it.
from helpers.fixtures import receipt


def test_receipt_paid(receipt):
    assert receipt["paid"]
