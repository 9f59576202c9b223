def test_worker():
    assert True
