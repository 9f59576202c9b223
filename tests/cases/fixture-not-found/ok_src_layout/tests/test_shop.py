def test_user(shop_user, shop_settings):
    assert shop_user
