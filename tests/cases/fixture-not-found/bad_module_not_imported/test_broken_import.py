from helpers import make_user, make_admin


def test_admin(admin):
    assert make_admin() == admin == make_user()
