import pytest


@pytest.fixture
def suite():
    return {}


@pytest.fixture
def tenant():
    return "t1"
