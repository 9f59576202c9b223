import pytest


@pytest.fixture
def only_for_broken():
    return 1
