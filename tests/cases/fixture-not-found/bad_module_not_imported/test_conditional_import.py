try:
    from helpers import make_admin
except ImportError:
    make_admin = None


def test_admin(admn):
    assert make_admin is None and admn
