import pytest


@pytest.fixture
def user():
    return {"name": "conftest"}
