"""Stands in for the real connection pool, so that the sample suite runs anywhere."""
from test_framework.websocket_mocks import MockWebSocketConnection


class WebSocketConnectionPool:
    async def get_real_connection(self, *, user_id, connection_id):
        return MockWebSocketConnection(user_id, connection_id)
