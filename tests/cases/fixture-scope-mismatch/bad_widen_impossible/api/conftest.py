import pytest


@pytest.fixture(scope="module")
def client(schema):
    return {"schema": schema}
