import pytest


@pytest.fixture
def settings():
    return {"debug": False}


# The first `settings` is dead, but that is fixture-duplicate's finding, not this rule's.
@pytest.fixture
def settings():
    return {"debug": True}


def test_settings(settings):
    assert settings["debug"]
