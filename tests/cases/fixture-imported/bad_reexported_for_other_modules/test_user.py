from test_compat import suite


def test_user(suite):
    assert suite == {}
