def test_nothing_async():
    assert True
