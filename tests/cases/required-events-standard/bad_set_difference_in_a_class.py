import pytest as pt

from test_framework.bridge import AgentBridge

REQUIRED = {"agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"}


class TestAgentChat:
    @pt.mark.asyncio
    @pt.mark.parametrize("run_id", ["r1", "r2",])
    async def test_every_event_by_set_difference(self, run_id):
        sent_events = []
        bridge = AgentBridge(sent_events)
        await bridge.notify_agent_started(run_id)
        await bridge.notify_agent_thinking(run_id, thought="plan")  # keyword argument
        await bridge.notify_tool_executing(run_id, "search")
        await bridge.notify_tool_completed(run_id, "search", result=[])
        await bridge.notify_agent_completed(run_id)
        missing = REQUIRED - {event["event_type"] for event in sent_events}
        assert not missing, missing

    def test_every_event_asserted_by_hand_in_a_sync_test(self):
        sent_events = []
        bridge = AgentBridge(sent_events)
        bridge.notify_agent_started("r3")
        bridge.notify_agent_thinking("r3")
        bridge.notify_tool_executing("r3", "calc")
        bridge.notify_tool_completed("r3", "calc")
        bridge.notify_agent_completed("r3")
        types = [e["event_type"] for e in sent_events]
        assert "agent_started" in types
        assert "agent_thinking" in types
        assert "tool_executing" in types
        assert "tool_completed" in types
        assert "agent_completed" in types
