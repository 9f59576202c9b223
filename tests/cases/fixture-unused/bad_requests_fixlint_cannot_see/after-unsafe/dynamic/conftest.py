import pytest


@pytest.fixture
def staff_client():
    return "staff"


@pytest.fixture
def app_client():
    return "app"
