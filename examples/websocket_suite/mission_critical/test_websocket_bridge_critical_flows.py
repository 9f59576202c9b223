import pytest

from test_framework.legacy_websocket import LegacyMockWebSocketManager
from test_framework.websocket_mocks import MockWebSocketConnection


@pytest.mark.asyncio
async def test_bridge_delivers_to_the_user_connection():
    manager = LegacyMockWebSocketManager()
    connection = MockWebSocketConnection("user-1", "conn-1")
    manager.add_connection("user-1", connection)
    await manager.send_to_thread("thread-1", {"event_type": "agent_started"})
    await connection.send(manager.messages[0])
    assert connection.messages[0]["event_type"] == "agent_started"


@pytest.mark.asyncio
async def test_bridge_emits_every_required_event():
    manager = LegacyMockWebSocketManager()
    for event in ("agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"):
        await manager.send_to_thread("thread-2", {"event_type": event})
    event_types = [message["event_type"] for message in manager.messages]
    assert "agent_started" in event_types
    assert "agent_thinking" in event_types
    assert "tool_executing" in event_types
    assert "tool_completed" in event_types
    assert "agent_completed" in event_types
