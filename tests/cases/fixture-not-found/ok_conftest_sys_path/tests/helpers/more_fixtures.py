import pytest


@pytest.fixture
def more_thing(lib_client):
    return lib_client + "+more"
