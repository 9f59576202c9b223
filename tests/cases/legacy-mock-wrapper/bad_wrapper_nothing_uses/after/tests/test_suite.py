# A legacy wrapper nothing uses any more: its clear_messages answers otherwise than the mock's
# (it empties the connections copy too), which matters to no test, so the fix deletes it.
import pytest

from test_framework.fixtures.websocket_manager_mock import create_compliance_mock


@pytest.mark.asyncio
async def test_the_unified_mock_records():
    manager = create_compliance_mock()
    assert await manager.send_to_thread("t1", {"type": "agent_started"})
    manager.clear_messages()
    assert manager.messages == []
