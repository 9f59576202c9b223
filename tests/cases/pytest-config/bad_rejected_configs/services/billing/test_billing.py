def test_billing():
    assert True
