import pytest


@pytest.fixture
def customer():
    return "alice"
