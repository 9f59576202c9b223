import pytest


@pytest.fixture
def account():
    return "session"
