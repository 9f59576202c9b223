import pytest


@pytest.fixture
def customer():
    return {"name": "ada"}


@pytest.fixture
def invoice():
    return {"total": 3}
