import pytest


@pytest.fixture
def staff_client():
    return "staff"


@pytest.fixture
def app_client():
    return "app"


@pytest.fixture
def never_named():
    return "no string of the tests names it"
