# Standard helper proving the five events a user sees in the agent chat flow.


async def validate_required_events(sent_events):
    required = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]
    found = [event.get("event_type") for event in sent_events]
    missing = [evt for evt in required if evt not in found]
    assert len(missing) == 0, f"Missing required events: {missing}"
    return True
