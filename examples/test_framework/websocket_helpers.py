"""Stands in for the real connection pool, so that the sample suite runs anywhere."""
from test_framework.websocket_mocks import MockWebSocketConnection


class WebSocketConnectionPool:
    async def get_real_connection(self, *, user_id, connection_id):
        return MockWebSocketConnection(user_id, connection_id)


async def validate_required_events(sent_events):
    required = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]
    found = [event.get("event_type") for event in sent_events]
    missing = [evt for evt in required if evt not in found]
    assert len(missing) == 0, f"Missing required events: {missing}"
    return True
