import pytest


def make_user(name):
    return {"name": name}


@pytest.fixture
def user():
    return make_user("ada")


@pytest.fixture(name="db")
def database():
    return {}
