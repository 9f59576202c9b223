# Provided through a module that binds it in a `try` block.
from helpers.fixtures import invoice


def test_invoice_total(invoice):
    assert invoice["total"] == 3
