# An error-path suite: every send is made to fail, and the tests check what is logged.
from unittest.mock import MagicMock

import pytest

from adapter import Adapter


def failing_adapter(name):
    bridge = MagicMock()
    getattr(bridge, name).side_effect = ConnectionError("bridge down")
    return bridge, Adapter(bridge)


def test_started_failure_is_logged(caplog):
    bridge = MagicMock()
    bridge.notify_agent_started.side_effect = ConnectionError("bridge down")
    Adapter(bridge).emit_agent_started("r1")
    assert "notify_agent_started" in caplog.text


def test_thinking_failure_is_logged(caplog):
    bridge = MagicMock()
    bridge.notify_agent_thinking.side_effect = RuntimeError("bridge down")
    Adapter(bridge).emit_agent_thinking("r1")
    assert "failed" in caplog.text


def test_tool_failures_are_logged(caplog):
    bridge = MagicMock()
    bridge.notify_tool_executing.side_effect = TimeoutError()
    bridge.notify_tool_completed.side_effect = TimeoutError()
    adapter = Adapter(bridge)
    adapter.emit_tool_executing("r1")
    adapter.emit_tool_completed("r1")
    assert caplog.text.count("failed") == 2


def test_a_bridge_that_raises_raises():
    bridge = MagicMock()
    bridge.notify_agent_completed.side_effect = ValueError("bad result")
    with pytest.raises(ValueError):
        bridge.notify_agent_completed("r1", {"result": None})
