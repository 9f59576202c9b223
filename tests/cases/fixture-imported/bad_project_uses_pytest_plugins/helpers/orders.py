import pytest


@pytest.fixture
def order():
    return {"id": 2}


def make_order():
    return {"id": 3}
