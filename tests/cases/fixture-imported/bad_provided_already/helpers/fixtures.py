import pytest


@pytest.fixture
def customer():
    return {"name": "ada"}


def token_for(name):
    return f"token-{name}"
