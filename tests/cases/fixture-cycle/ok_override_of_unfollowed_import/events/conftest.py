import pytest


@pytest.fixture(autouse=True)
def events(events):
    yield events
