# Tests that assert events are NOT sent: the standard helper would invert them.
from test_framework.recorder import Recorder


class TestEventsAbsent:
    REQUIRED_EVENTS = {"agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"}

    def test_a_silent_agent_sends_few_events(self):
        recorder = Recorder()
        recorder.notify_agent_thinking("r1")
        types = {event["event_type"] for event in recorder.sent}
        missing = self.REQUIRED_EVENTS - types
        assert len(missing) > 0, "expected missing events"
        expected_missing = {"agent_started", "tool_executing", "tool_completed"}
        assert expected_missing.issubset(missing)

    def test_nothing_sent_yet(self):
        recorder = Recorder()
        not_sent = [event for event in self.REQUIRED_EVENTS if event not in recorder.sent]
        assert not_sent

    def test_a_verdict_that_says_absent(self):
        recorder = Recorder()
        complete = not (self.REQUIRED_EVENTS - {event["event_type"] for event in recorder.sent})
        assert not complete
