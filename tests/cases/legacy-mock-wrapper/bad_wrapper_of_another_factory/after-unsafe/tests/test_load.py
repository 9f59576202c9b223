# A wrapper of a factory configured in `factories` (no "mock" in its name, nor in the alias this
# module imports it by): its users get that factory, under its own name.
import pytest

from test_framework.fixtures.websocket_manager_mock import create_load_double


@pytest.mark.asyncio
async def test_many_sends_are_kept():
    manager = create_load_double()
    for index in range(5):
        assert await manager.send_to_thread(f"t{index}", {"type": "agent_thinking"})
    assert len(manager.messages) == 5
