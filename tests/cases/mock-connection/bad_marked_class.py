import pytest as pt
from test_framework.websocket_mocks import MockWebSocketConnection


@pt.mark.real_websocket
class TestRealConnection:
    @pt.mark.asyncio
    async def test_keyword_arguments(self):
        connection = MockWebSocketConnection(
            user_id="u1",  # the user
            connection_id="c1",
        )
        await connection.send({"type": "agent_started"})

    @pt.mark.asyncio
    async def test_positional_arguments(self):
        connection = MockWebSocketConnection("u2", "c2",)
        await connection.send({"type": "agent_started"})

    def test_sync(self):
        assert MockWebSocketConnection("u3", "c3")
