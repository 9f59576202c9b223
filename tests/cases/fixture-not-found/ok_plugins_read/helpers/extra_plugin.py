import pytest


@pytest.fixture
def extra():
    return 1
