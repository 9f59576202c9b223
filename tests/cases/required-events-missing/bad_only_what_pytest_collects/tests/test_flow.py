# Collected by `pytest`: its name promises every event, and it checks none.


def test_all_five_events_reach_the_user():
    sent = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]
    assert len(sent) == 5
