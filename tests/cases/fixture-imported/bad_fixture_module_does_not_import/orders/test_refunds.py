def test_refund():
    assert True
