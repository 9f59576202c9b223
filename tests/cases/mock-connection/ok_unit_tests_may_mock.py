"""Near misses: a unit test module (no real-connection path), a mock in an unmarked test, a real
mark on a test that builds no mock, and a mock class defined outside the real suites."""
import pytest
from test_framework.websocket_mocks import MockWebSocketConnection


class MockWebSocketRecorder:
    def __init__(self):
        self.sent = []


@pytest.mark.asyncio
async def test_unit_mock():
    connection = MockWebSocketConnection(user_id="u1", connection_id="c1")
    await connection.send({"type": "agent_started"})
    assert connection.messages


@pytest.mark.real_websocket
def test_real_mark_without_a_mock():
    recorder = dict(sent=[])
    assert recorder["sent"] == []
