import pytest


@pytest.fixture
def lib_client():
    return "client"
