from checks import assert_user
from tools.factories import make_user


def test_user():
    assert_user(make_user())
