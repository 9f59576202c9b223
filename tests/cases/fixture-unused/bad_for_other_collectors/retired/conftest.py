import pytest


@pytest.fixture(autouse=True)
def retired_env(monkeypatch):
    # only Python modules below, none of them a test module: no item is collected here
    monkeypatch.setenv("MODE", "retired")


@pytest.fixture
def retired_client():
    return "retired"
