import os

import pytest


@pytest.fixture
def account():
    return "shared"


@pytest.fixture
def db():
    return {}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    monkeypatch.setenv("ORDERS_CLEAN", "1")
    yield
    assert os.environ["ORDERS_CLEAN"] == "1"
