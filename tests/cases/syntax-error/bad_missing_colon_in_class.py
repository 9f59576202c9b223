import pytest as pt


class TestClient:
    @pt.fixture(
        scope="class",  # one client for the class
    )
    def client(self)
        return object()

    async def test_client(self, client):
        assert client
