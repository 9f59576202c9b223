# The same tests, each event checked: not reported.
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
    assert [e["event_type"] for e in recorder.sent] == ["tool_executing", "tool_completed"]


def test_completion_is_sent():
    recorder = Recorder()
    recorder.notify_agent_completed("r3")
    assert recorder.sent[-1]["event_type"] == "agent_completed"
