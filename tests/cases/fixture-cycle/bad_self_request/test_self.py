import pytest as pt


@pt.fixture(scope="module")
def token(token):
    return token


def test_token(token):
    assert token
