# A wrapper of a mock factory that is not configured: the message names it, and the fix (unsafe)
# calls it where the wrapper was built.
import pytest
from test_framework.fixtures.websocket_manager_mock import create_flaky_mock


@pytest.mark.asyncio
async def test_every_second_send_is_dropped():
    manager = create_flaky_mock()
    await manager.send_to_thread("t1", {"type": "agent_started"})
    await manager.send_to_thread("t1", {"type": "agent_completed"})
    assert manager.messages == [("t1", {"type": "agent_started"}), None]
