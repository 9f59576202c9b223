"""Near misses: the standard helper, under an alias; checks of fewer than the five events, or of
other events; a loop over a list that is not the required set."""
import pytest
from test_framework.bridge import AgentBridge
from test_framework.websocket_helpers import validate_required_events as check_events

STARTED_AND_DONE = ["agent_started", "agent_completed"]


@pytest.mark.asyncio
async def test_standard_helper_under_an_alias():
    sent_events = []
    bridge = AgentBridge(sent_events)
    await bridge.notify_agent_started("r1")
    await bridge.notify_agent_thinking("r1")
    await bridge.notify_tool_executing("r1", "search")
    await bridge.notify_tool_completed("r1", "search")
    await bridge.notify_agent_completed("r1")
    await check_events(
        sent_events,  # every required event, one message
    )


@pytest.mark.asyncio
async def test_two_events_by_hand():
    sent_events = []
    bridge = AgentBridge(sent_events)
    await bridge.notify_agent_started("r2")
    await bridge.notify_agent_completed("r2")
    types = [e["event_type"] for e in sent_events]
    for name in STARTED_AND_DONE:
        assert name in types


def test_other_events_by_hand():
    types = ["user_joined", "user_left"]
    assert "user_joined" in types
    assert "user_left" in types
