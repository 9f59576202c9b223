import pytest


# Overrides the conftest's db and gets it: that one requests cache, which requests db again,
# when no definition of db is left.
@pytest.fixture
def db(db):
    return db


# Overrides the conftest's clock and gets it: fine.
@pytest.fixture
def clock(clock):
    return clock + 1


def test_db(db):
    assert db


def test_clock(clock):
    assert clock == 1
