import pytest


@pytest.fixture
def order(customer):
    return {"customer": customer}


@pytest.fixture
def customer(order):
    return order["customer"]
