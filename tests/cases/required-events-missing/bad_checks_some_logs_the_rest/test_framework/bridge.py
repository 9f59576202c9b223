# Minimal agent bridge that records every event it would send to the user.


class AgentBridge:
    def __init__(self, sent_events):
        self.sent_events = sent_events

    async def notify_agent_started(self, run_id):
        self.sent_events.append({"event_type": "agent_started", "run_id": run_id})

    async def notify_agent_thinking(self, run_id, thought="..."):
        self.sent_events.append({"event_type": "agent_thinking", "run_id": run_id, "thought": thought})

    async def notify_tool_executing(self, run_id, tool):
        self.sent_events.append({"event_type": "tool_executing", "run_id": run_id, "tool": tool})

    async def notify_tool_completed(self, run_id, tool, result=None):
        self.sent_events.append(
            {"event_type": "tool_completed", "run_id": run_id, "tool": tool, "result": result}
        )

    async def notify_agent_completed(self, run_id):
        self.sent_events.append({"event_type": "agent_completed", "run_id": run_id})
