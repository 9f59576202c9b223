# The event enum lives in an application package outside the tree: its members are read by
# their names.
from chat_app.events import EventType


async def test_all_five_events_by_an_unread_enum(bridge, sent_events):
    await bridge.notify_agent_started("r1")
    await bridge.notify_agent_thinking("r1")
    await bridge.notify_tool_executing("r1")
    await bridge.notify_tool_completed("r1")
    await bridge.notify_agent_completed("r1")
    delivered = [EventType(event["type"]) for event in sent_events]
    for expected in [
        EventType.AGENT_STARTED,
        EventType.AGENT_THINKING,
        EventType.TOOL_EXECUTING,
        EventType.TOOL_COMPLETED,
        EventType.AGENT_COMPLETED,
    ]:
        assert expected in delivered
