from helpers.fixtures import tenant


def test_tenant(tenant):
    assert tenant == "t1"
