def test_cart(cart, user):
    assert cart == [] and user
