# Tests of the capture itself: they feed it events they make up and check what it records and
# what its check says. No flow runs: the checks of the five test the capture, not a flow. The
# capture's own check of the five is a hand check (reported).
from test_framework.capture import EventCapture


class TestEventCapture:
    REQUIRED_EVENTS = {"agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"}

    def test_capture_of_every_required_event(self):
        capture = EventCapture()
        synthetic = [
            {"type": "agent_started", "agent": "planner"},
            {"type": "agent_thinking", "thought": "plan"},
            {"type": "tool_executing", "tool": "search"},
            {"type": "tool_completed", "tool": "search"},
            {"type": "agent_completed", "result": "done"},
        ]
        for event in synthetic:
            capture.capture_event(event)
        validation = capture.validate()
        assert validation["valid"]
        assert len(validation["missing_events"]) == 0
        assert validation["captured_events"] == self.REQUIRED_EVENTS
