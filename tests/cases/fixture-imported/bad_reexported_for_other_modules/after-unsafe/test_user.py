def test_user(suite):
    assert suite == {}
