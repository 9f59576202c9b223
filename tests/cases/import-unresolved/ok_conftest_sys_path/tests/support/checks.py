def assert_user(user):
    assert user["name"]
