import pytest

EVENTS = []


@pytest.fixture
def db():
    EVENTS.append("db")
    yield
    EVENTS.remove("db")


@pytest.fixture
def audit():
    EVENTS.append("audit")
    yield
    EVENTS.remove("audit")


@pytest.fixture
def client():
    return "client"
