import pytest


@pytest.fixture
def log_sink():
    return []
