import pytest


@pytest.fixture
def user(account):
    return account


@pytest.fixture
def account(user):
    return user


@pytest.fixture
def settings(request):
    # The cycle goes through getfixturevalue: pytest errors the same way.
    return request.getfixturevalue("config")


@pytest.fixture
def config(settings):
    return settings


@pytest.fixture
def name():
    return "ok"
