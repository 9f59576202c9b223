import helpers.fixtures
from helpers.fixtures import make_user


def test_user(user):
    assert user == make_user("ada")


def test_db(db):
    assert db == {} and helpers.fixtures.make_user("x")
