import pytest


@pytest.fixture(scope="module")
def client(schema, settings):
    return {"schema": schema, "url": settings["url"]}
