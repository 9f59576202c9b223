import pytest


@pytest.fixture
def vcr_config():
    """The `vcr` fixture of pytest-recording requests it: no test needs to."""
    return {"record_mode": "none"}


@pytest.fixture
def mocker(mocker):
    """pytest-mock's own, wrapped: its other fixtures may request it."""
    return mocker


@pytest.fixture
def farm_config():
    """A plugin fixlint cannot read requests it (named in known-fixtures)."""
    return {}
