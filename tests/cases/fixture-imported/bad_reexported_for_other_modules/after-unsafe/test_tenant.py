def test_tenant(tenant):
    assert tenant == "t1"
