import pytest


class TestClient:
    @pytest.mark.slow
    @pytest.mark.asyncio
    async def test_client_alone(self, session_client):
        assert await session_client.call(3) == 3
