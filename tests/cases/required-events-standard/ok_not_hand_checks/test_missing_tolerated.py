# Tolerances of what was not sent: at most two of the required events may be missing. The
# helper would be stricter: these are no copies of it.
from test_framework.recorder import Recorder

REQUIRED = {"agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"}


def test_most_events_arrive_over_a_lossy_link():
    recorder = Recorder()
    recorder.notify_agent_started("r1")
    recorder.notify_agent_thinking("r1")
    recorder.notify_agent_completed("r1")
    seen = {event["event_type"] for event in recorder.sent}
    missing = REQUIRED - seen
    assert len(missing) <= 2, f"too many missing: {sorted(missing)}"


class LossyLinkValidator:
    def __init__(self, recorder):
        self.recorder = recorder

    def verdict(self):
        missing = REQUIRED - {event["event_type"] for event in self.recorder.sent}
        return len(missing) < 3


def test_the_validator_allows_two_losses():
    recorder = Recorder()
    recorder.notify_agent_started("r2")
    recorder.notify_tool_executing("r2")
    recorder.notify_agent_completed("r2")
    assert LossyLinkValidator(recorder).verdict()
