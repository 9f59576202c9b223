import pytest


@pytest.fixture
def inherited_only():
    return 1
