import pytest


@pytest.fixture
def account():
    return {"id": 1}
