# The wrapper hands each call on and returns what the mock answers: held in a variable until the
# return (async and sync, annotated), or returned at once.
import pytest

from test_framework.fixtures.websocket_manager_mock import create_compliance_mock


@pytest.fixture
def manager():
    return create_compliance_mock()


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
    manager = create_compliance_mock()
    manager.connect("u1")
    assert await manager.disconnect("u1") is True
    assert await manager.disconnect("u1") is False
