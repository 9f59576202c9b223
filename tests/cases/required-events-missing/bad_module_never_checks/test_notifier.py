# Each test sends part of the flow; together they send all five, but no test checks
# `tool_completed` or `agent_completed`.
from test_framework.recorder import Recorder


def test_started_and_thinking():
    recorder = Recorder()
    recorder.notify_agent_started("r1")
    recorder.notify_agent_thinking("r1")
    assert [e["event_type"] for e in recorder.sent] == ["agent_started", "agent_thinking"]


def test_tool_round_trip():
    recorder = Recorder()
    recorder.notify_tool_executing("r2")
    recorder.notify_tool_completed("r2")
    assert recorder.sent[0]["event_type"] == "tool_executing"
    assert len(recorder.sent) == 2


def test_completion_is_sent():
    recorder = Recorder()
    recorder.notify_agent_completed("r3")
    assert recorder.sent
