import pytest


@pytest.fixture(scope="function")
def client(schema, settings):
    return {"schema": schema, "url": settings["url"]}
