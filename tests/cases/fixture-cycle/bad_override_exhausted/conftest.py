import pytest


@pytest.fixture
def db(cache):
    return cache


@pytest.fixture
def cache(db):
    return db


@pytest.fixture
def clock():
    return 0
