def test_walk():
    assert True
