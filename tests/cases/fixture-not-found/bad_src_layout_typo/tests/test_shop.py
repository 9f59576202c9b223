def test_user(shop_usr, shop_settings):
    assert shop_usr
