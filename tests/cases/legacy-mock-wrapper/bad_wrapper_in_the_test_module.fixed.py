import pytest as pt
from test_framework.fixtures.websocket_manager_mock import create_compliance_mock


@pt.fixture(
    scope="function",  # a fresh manager per test
)
def manager():
    return create_compliance_mock()


class TestChat:
    @pt.mark.asyncio
    async def test_send(self, manager):
        await manager.send_to_thread("t1", {"type": "agent_started"})
        assert manager.messages

    @pt.mark.asyncio
    async def test_second_manager(self):
        other = create_compliance_mock(
        )
        await other.send_to_thread("t2", {"type": "agent_completed"})
        assert other.messages
