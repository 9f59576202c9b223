# Each event is checked on the mocked bridge: one by what its method was called with, read
# through a local.
from unittest.mock import MagicMock

from adapter import Adapter


def test_started_and_thinking_are_forwarded():
    bridge = MagicMock()
    adapter = Adapter(bridge)
    adapter.emit_agent_started("r1")
    adapter.emit_agent_thinking("r1")
    bridge.notify_agent_started.assert_called_once_with("r1")
    bridge.notify_agent_thinking.assert_called_once_with("r1")


def test_tools_are_forwarded():
    bridge = MagicMock()
    adapter = Adapter(bridge)
    adapter.emit_tool_executing("r1")
    adapter.emit_tool_completed("r1")
    assert bridge.notify_tool_executing.called
    assert bridge.notify_tool_completed.call_count == 1


def test_completion_carries_the_result():
    bridge = MagicMock()
    Adapter(bridge).emit_agent_completed("r1", "done")
    forwarded = bridge.notify_agent_completed.call_args[0][1]
    assert forwarded == {"result": "done"}
