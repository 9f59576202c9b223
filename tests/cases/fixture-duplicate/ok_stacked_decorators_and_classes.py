"""Near misses: stacked decorators in either order, a fixture registered under another name, and a
class fixture that overrides the module's."""
import pytest as pt


def traced(function):
    return function


@traced
@pt.fixture
def user():
    return "a"


@pt.fixture(name="account")
@traced
def user_account():
    return "b"


class TestUsers:
    @pt.fixture
    def user(self):
        return "c"

    def test_user(self, user, account):
        assert (user, account) == ("c", "b")
