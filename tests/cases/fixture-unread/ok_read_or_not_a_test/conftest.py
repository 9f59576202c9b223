import functools

import pytest


@pytest.fixture
def db():
    return {"rows": 1}


@pytest.fixture
def session(db):
    # A fixture's parameter is its only way to ask: not reported.
    return "session"


def passes_kwargs(function):
    @functools.wraps(function)
    def wrapper(**kwargs):
        assert kwargs["db"]
        return function(**kwargs)

    return wrapper
