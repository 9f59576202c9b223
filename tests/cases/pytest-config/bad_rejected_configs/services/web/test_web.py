def test_web():
    assert True
