import pytest

from helpers import ready, steady


@pytest.fixture
def state():
    return ready()
