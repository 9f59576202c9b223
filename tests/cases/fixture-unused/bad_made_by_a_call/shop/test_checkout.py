def test_checkout(cart):
    assert cart["currency"] == "EUR"
