"""The five checked through a list of what did not come, filled under a negated test (a lookup, a
flag), beside reads of each event's content made only when it came."""

REQUIRED = ("agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed")


def run_flow():
    return [{"type": name, "run_id": "r1"} for name in REQUIRED]


def test_every_event_by_a_lookup_per_type():
    by_type = {}
    for event in run_flow():
        by_type.setdefault(event["type"], []).append(event)
    missing = []
    for name in REQUIRED:
        if not by_type.get(name, []):
            missing.append(name)
    assert not missing, f"not sent: {missing}"
    if by_type["agent_started"]:
        assert by_type["agent_started"][0]["run_id"] == "r1"


def test_every_event_by_a_flag_each():
    sent = run_flow()
    missing = []
    for name in REQUIRED:
        found = any(event["type"] == name for event in sent)
        if not found:
            missing.append(name)
    assert not missing


class FlowConfig:
    REQUIRED = ("agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed")


class TestFlowWithItsConfig:
    def setup_method(self):
        self.config = FlowConfig()

    def test_every_event_the_config_requires(self):
        by_type = {}
        for event in run_flow():
            by_type.setdefault(event["type"], []).append(event)
        missing = []
        for name in self.config.REQUIRED:
            if not by_type.get(name):
                missing.append(name)
        assert not missing
