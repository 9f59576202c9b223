def test_scopes(database, from_environment, bound_in_a_branch, made_before_rebinding, made_after_rebinding):
    assert database.name == "db"
