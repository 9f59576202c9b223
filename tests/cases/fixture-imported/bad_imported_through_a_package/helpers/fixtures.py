import pytest


@pytest.fixture
def customer():
    return {"name": "ada"}
