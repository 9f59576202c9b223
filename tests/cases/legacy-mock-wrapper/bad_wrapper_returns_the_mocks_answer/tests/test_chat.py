# The wrapper hands each call on and returns what the mock answers: held in a variable until the
# return (async and sync, annotated), or returned at once.
import pytest

from test_framework.fixtures.websocket_manager_mock import create_compliance_mock


class ChatManagerShim:
    """Keeps copies of the unified mock's state for older tests."""

    def __init__(self):
        self._unified_mock = create_compliance_mock()
        self.messages = []
        self.connections = {}

    async def send_to_thread(self, thread_id, message):
        result = await self._unified_mock.send_to_thread(thread_id, message)

        # older tests read the copy
        self.messages = self._unified_mock.messages
        return result

    def connect(self, user_id):
        count: int = self._unified_mock.connect(user_id)
        self.connections = self._unified_mock.connections
        return count

    async def disconnect(self, user_id):
        return await self._unified_mock.disconnect(user_id)


@pytest.fixture
def manager():
    return ChatManagerShim()


@pytest.mark.asyncio
async def test_send_records_the_message(manager):
    assert await manager.send_to_thread("t1", {"type": "agent_started"}) is True
    assert manager.messages == [("t1", {"type": "agent_started"})]


def test_connect_counts_users(manager):
    assert manager.connect("u1") == 1
    assert manager.connect("u2") == 2
    assert set(manager.connections) == {"u1", "u2"}


@pytest.mark.asyncio
async def test_disconnect_says_whether_the_user_was_there():
    manager = ChatManagerShim()
    manager.connect("u1")
    assert await manager.disconnect("u1") is True
    assert await manager.disconnect("u1") is False
