# The framework's capture of the events a test receives, and its own check of them.

REQUIRED_EVENTS = {"agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"}


class EventCapture:
    def __init__(self):
        self.events = []

    def capture_event(self, event):
        self.events.append(event)

    @property
    def event_types(self):
        return {event["type"] for event in self.events}

    def validate(self):
        missing = REQUIRED_EVENTS - self.event_types
        return {"valid": not missing, "missing_events": missing, "captured_events": self.event_types}
