# A legacy wrapper nothing uses any more: its clear_messages answers otherwise than the mock's
# (it empties the connections copy too), which matters to no test, so the fix deletes it.
import pytest

from test_framework.fixtures.websocket_manager_mock import create_compliance_mock


class LegacyMockChatManager:
    def __init__(self):
        self._unified_mock = create_compliance_mock()
        self.messages = []
        self.connections = {}

    async def send_to_thread(self, thread_id, message):
        result = await self._unified_mock.send_to_thread(thread_id, message)
        self.messages = self._unified_mock.messages
        return result

    def clear_messages(self):
        self._unified_mock.clear_messages()
        self.messages = []
        self.connections = {}


@pytest.mark.asyncio
async def test_the_unified_mock_records():
    manager = create_compliance_mock()
    assert await manager.send_to_thread("t1", {"type": "agent_started"})
    manager.clear_messages()
    assert manager.messages == []
