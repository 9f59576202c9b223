def test_shop(account):
    assert account == {"owner": "customer"}
