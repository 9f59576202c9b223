# A wrapper of a mock factory that is not configured: the message names it, and the fix (unsafe)
# calls it where the wrapper was built.
import pytest

from test_framework.fixtures import websocket_manager_mock as mocks


class FlakyManagerShim:
    def __init__(self):
        self._unified_mock = mocks.create_flaky_mock()
        self.messages = []

    async def send_to_thread(self, thread_id, message):
        await self._unified_mock.send_to_thread(thread_id, message)
        self.messages = self._unified_mock.messages


@pytest.mark.asyncio
async def test_every_second_send_is_dropped():
    manager = FlakyManagerShim()
    await manager.send_to_thread("t1", {"type": "agent_started"})
    await manager.send_to_thread("t1", {"type": "agent_completed"})
    assert manager.messages == [("t1", {"type": "agent_started"}), None]
