from shop_testing.api import api_client  # noqa: F401


def test_api(api_client):
    assert api_client
