"""Near misses of checks only when present: the five asserted under a flag the caller sets (a
check it asks for, not one that depends on which events came), and the five asserted beside
checks of each one's content made as it comes."""

REQUIRED = ("agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed")


def run_flow():
    return [{"type": name, "run_id": "r1"} for name in REQUIRED]


def check_flow(sent, require_every_event=True):
    types = [event["type"] for event in sent]
    if require_every_event:
        for name in REQUIRED:
            assert name in types


def test_flow_checked_by_the_caller_s_choice():
    check_flow(run_flow())


def test_every_event_and_the_content_of_each():
    sent = run_flow()
    types = [event["type"] for event in sent]
    for name in REQUIRED:
        assert name in types
    for event in sent:
        if event["type"] == "tool_executing":
            assert event["run_id"] == "r1"
