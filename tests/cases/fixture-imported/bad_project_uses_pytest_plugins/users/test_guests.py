from helpers.users import guest_fixture as visitor


def test_guest(guest):
    assert guest == "anonymous"
