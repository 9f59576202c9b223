# A validator that is relaxed on purpose: it fails only when none of the required events came.
# The helper would be stricter: this is no copy of it.
from test_framework.recorder import Recorder


class RelaxedValidator:
    REQUIRED = {"agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"}

    def __init__(self, recorder):
        self.recorder = recorder

    def verdict(self):
        seen = {event["event_type"] for event in self.recorder.sent}
        failures = []
        found = len(self.REQUIRED & seen)
        if found == 0:
            failures.append(f"no required event among {sorted(seen)}")
        return len(failures) == 0


def test_one_event_is_enough_over_a_slow_link():
    recorder = Recorder()
    recorder.notify_agent_started("r1")
    assert RelaxedValidator(recorder).verdict()
