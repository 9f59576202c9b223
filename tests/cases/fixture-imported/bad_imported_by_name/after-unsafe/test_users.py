from helpers.fixtures import (  # the fixtures of this module
    user,
    make_user,
)


def test_user(user):
    assert user == make_user("ada")


def test_db(db):
    assert db == {}
