import pytest


@pytest.fixture
def user():
    return "anonymous"


@pytest.fixture
def account(user):
    return {"owner": user}
