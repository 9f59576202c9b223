def test_price(price, basket):
    assert price == (10, "EUR") and basket == []
