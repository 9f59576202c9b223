# The capture's verdict returns early when a required event has no count: asserting it checks
# every required event.
from test_framework.recorder import Recorder


class Capture:
    REQUIRED = ("agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed")

    def __init__(self):
        self.counts = {}

    def record(self, event):
        self.counts[event["event_type"]] = self.counts.get(event["event_type"], 0) + 1

    def has_every_required_event(self):
        for required in self.REQUIRED:
            if self.counts.get(required, 0) == 0:
                return False
        return True


def test_the_capture_sees_the_whole_flow():
    recorder = Recorder()
    recorder.notify_agent_started("r1")
    recorder.notify_agent_thinking("r1")
    recorder.notify_tool_executing("r1")
    recorder.notify_tool_completed("r1")
    recorder.notify_agent_completed("r1")
    capture = Capture()
    for event in recorder.sent:
        capture.record(event)
    assert capture.has_every_required_event()
