import pytest


@pytest.fixture
def account(user):
    return {"owner": user}
