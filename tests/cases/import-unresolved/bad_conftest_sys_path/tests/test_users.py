from checks import assert_admin, assert_user
from tools.factories import make_user


def test_user():
    assert_user(make_user())
