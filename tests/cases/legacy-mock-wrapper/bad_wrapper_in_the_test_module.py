import pytest as pt
from test_framework.fixtures.websocket_manager_mock import create_compliance_mock


class LegacyMockChatManager:
    def __init__(self):
        self._unified_mock = create_compliance_mock()
        self.messages = []

    async def send_to_thread(self, thread_id, message):
        await self._unified_mock.send_to_thread(thread_id, message)
        self.messages = self._unified_mock.messages


@pt.fixture(
    scope="function",  # a fresh manager per test
)
def manager():
    return LegacyMockChatManager()


class TestChat:
    @pt.mark.asyncio
    async def test_send(self, manager):
        await manager.send_to_thread("t1", {"type": "agent_started"})
        assert manager.messages

    @pt.mark.asyncio
    async def test_second_manager(self):
        other = LegacyMockChatManager(
        )
        await other.send_to_thread("t2", {"type": "agent_completed"})
        assert other.messages
