def test_check():
    assert True
