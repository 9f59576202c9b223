def test_database(database):
    assert database["connection"] == "connection"
