import pytest


@pytest.fixture
def user():
    return "ada"


@pytest.fixture
def admin():
    return "grace"
