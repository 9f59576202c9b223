import pytest
from helpers.fixtures import database as db  # noqa: F401


@pytest.fixture
def user():
    return {"name": "conftest"}
