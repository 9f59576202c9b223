import pytest


@pytest.fixture
def suite_config():
    return {"tenants": 2}


@pytest.fixture
def shim_db():
    return {}
