# The fixtures come from the helpers package; what the module reads itself stays.
"""Accounts, with imports spread over blocks."""

SETTINGS = {
    "currency": "EUR",
    "precision": 2,
}

try:
    pass
except ImportError:  # an older helpers package
    raise
if SETTINGS:

    from helpers.fixtures import (
        record,
    )
from helpers.fixtures import audit


def test_account(account, clock):
    assert account["id"] == 1


def test_ledger(ledger, user):
    assert record(ledger, user) == [user]


def test_audit():
    assert audit.__name__ == "audit"
