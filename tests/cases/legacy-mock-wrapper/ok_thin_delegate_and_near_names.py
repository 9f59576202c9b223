"""Near misses: a wrapper that keeps no state of its own (it reads through to the mock), and class
names close to the legacy pattern `Legacy*Mock*`."""
from test_framework.fixtures.websocket_manager_mock import create_compliance_mock as make_mock


class RecordingManager:
    def __init__(self):
        self._unified_mock = make_mock()

    async def send_to_thread(self, thread_id, message):
        await self._unified_mock.send_to_thread(thread_id, message)

    @property
    def messages(self):
        return self._unified_mock.messages


class LegacyClient:  # legacy, but no mock
    pass


class MockLegacyManager:  # the words in the other order
    pass


class TestManager:
    async def test_messages_read_through(self):
        manager = RecordingManager()
        await manager.send_to_thread("t1", {"type": "agent_started"})
        assert manager.messages
