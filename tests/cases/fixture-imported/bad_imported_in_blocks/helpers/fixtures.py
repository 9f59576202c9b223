import pytest


@pytest.fixture
def user():
    return {"name": "ada"}


@pytest.fixture
def account():
    return {"id": 1}


@pytest.fixture
def ledger():
    return []


@pytest.fixture
def audit():
    return "audit"


def record(entries, entry):
    entries.append(entry)
    return entries
