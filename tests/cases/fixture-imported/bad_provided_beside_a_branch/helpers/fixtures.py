import pytest


@pytest.fixture
def customer():
    return {"name": "ada"}


@pytest.fixture
def receipt():
    return {"paid": True}
