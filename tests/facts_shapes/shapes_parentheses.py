"""Parentheses where the extractors must find the node's own and not a call's."""
import pytest
from pytest import (
    fixture,
    mark,  # a comment in an import
)

pytestmark = (pytest.mark.slow)
SCOPE = ("session")


@(pytest.fixture)
def parenthesised_decorator():
    return 1


@((pytest.fixture(scope=("module"))))
def doubly_parenthesised():
    return (yield)


@pytest.fixture(
    scope=(  # a comment before the value
        "session"
    ),
    autouse=(True),
)
def commented_scope(db):
    return db


@pytest.fixture(scope = (("class")) , )
def spaced(request):
    request.getfixturevalue(("inner"))
    return (request)


@fixture \
    (scope="session")
def backslashed():
    pass


@mark.usefixtures(("db"), "cache")
@mark.parametrize(("a", "b"), ([1, 2], ))
@mark.parametrize(
    "c",
    [3],
    indirect=(True),
)
def test_parenthesised(a, b, c, commented_scope):
    x = (Factory(
        (first),  # inside
        second,
    ))
    y = Maker((item for item in range(3)))
    z = Maker(item for item in (range(3)))
    w = ((Wrapped()))
    return (x, y, z, w)


class TestParens(
    Base,  # a comment between bases
    (Other),
):
    pytestmark = [(pytest.mark.usefixtures("db"))]

    def test_method(self, spaced): assert ("agent_started" in
                                         spaced)


def test_continuation(db):
    total = Value(1) + \
        Value(2)
    assert "agent_started" \
        in db
