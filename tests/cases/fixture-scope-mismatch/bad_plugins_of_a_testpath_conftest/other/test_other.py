def test_database_from_another_testpath(database):
    assert database
