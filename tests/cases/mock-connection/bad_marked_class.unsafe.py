import pytest as pt
from test_framework.websocket_mocks import MockWebSocketConnection
from test_framework.websocket_helpers import WebSocketConnectionPool


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
        connection = await WebSocketConnectionPool().get_real_connection(user_id="u2", connection_id="c2")
        await connection.send({"type": "agent_started"})

    def test_sync(self):
        assert MockWebSocketConnection("u3", "c3")
