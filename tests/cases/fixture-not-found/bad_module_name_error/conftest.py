import pytest


@pytest.fixture
def admin():
    return "ada"
