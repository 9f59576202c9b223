import pytest


@pytest.fixture(scope="function")
def client(schema):
    return {"schema": schema}
