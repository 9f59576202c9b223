# A wrapper of a configured factory other than `factory`: its users get that factory (under its own
# name, not the alias this module imports it by).
import pytest

from test_framework.fixtures.websocket_manager_mock import create_load_mock as load_mock


class LoadManagerShim:
    def __init__(self):
        self._unified_mock = load_mock()
        self.messages = []

    async def send_to_thread(self, thread_id, message):
        sent = await self._unified_mock.send_to_thread(thread_id, message)
        self.messages = self._unified_mock.messages
        return sent


@pytest.mark.asyncio
async def test_many_sends_are_kept():
    manager = LoadManagerShim()
    for index in range(5):
        assert await manager.send_to_thread(f"t{index}", {"type": "agent_thinking"})
    assert len(manager.messages) == 5
