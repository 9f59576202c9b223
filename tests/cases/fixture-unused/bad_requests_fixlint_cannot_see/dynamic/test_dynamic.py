import pytest


@pytest.mark.parametrize("client_fixture", ["staff_client", "app_client"])
def test_client(client_fixture, request):
    assert request.getfixturevalue(client_fixture)
