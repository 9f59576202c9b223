from helpers.users import admin


def test_user(person):
    assert person == "ada"


def test_admin_reads_the_function(admin):
    assert admin == "grace" and callable(globals()["admin"])


ADMIN_FIXTURE = admin
