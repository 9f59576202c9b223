import pytest


@pytest.fixture
def user():
    return "admin"


def test_admin(user):
    assert user == "admin"
