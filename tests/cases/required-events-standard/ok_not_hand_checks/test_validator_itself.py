# Tests of a validator of the test framework, fed events the test makes up: they assert what
# it reports missing, not that a flow sent the required events.
from test_framework.recorder import Recorder


class CoverageValidator:
    REQUIRED = {"agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"}

    def __init__(self):
        self.seen = set()

    def capture(self, event):
        self.seen.add(event["event_type"])

    def report(self, required=None):
        wanted = set(required) if required is not None else self.REQUIRED
        missing = wanted - self.seen
        return {"missing_events": missing, "seen": set(self.seen)}


def test_nothing_captured_reports_every_event_missing():
    validator = CoverageValidator()
    report = validator.report()
    assert report["missing_events"] == CoverageValidator.REQUIRED


def test_a_missing_attribute_names_the_absent_events():
    recorder = Recorder()
    recorder.notify_agent_started("r1")
    validator = CoverageValidator()
    for event in recorder.sent:
        validator.capture(event)
    report = validator.report()
    assert report["missing_events"] >= {"agent_thinking", "tool_executing", "tool_completed", "agent_completed"}
