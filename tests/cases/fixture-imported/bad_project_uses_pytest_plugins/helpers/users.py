import pytest


@pytest.fixture
def user():
    return "ada"


@pytest.fixture
def admin():
    return "grace"


@pytest.fixture(name="guest")
def guest_fixture():
    return "anonymous"
