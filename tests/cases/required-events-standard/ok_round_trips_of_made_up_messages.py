"""Round trips of messages the tests make up, one per event: they check the wire form (a dict
through JSON, a message class through its dict), not that a flow sent the events. Nothing is
sent: there is nothing for the helper to check."""
import json

REQUIRED = ("agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed")


class Message:
    def __init__(self, event_type, data):
        self.event_type = event_type
        self.data = data

    def to_dict(self):
        return {"type": self.event_type, "data": self.data}

    @classmethod
    def from_dict(cls, wire):
        return cls(event_type=wire["type"], data=wire["data"])


def test_each_message_survives_json():
    messages = [
        {"type": "agent_started", "agent": "planner"},
        {"type": "agent_thinking", "thought": "plan"},
        {"type": "tool_executing", "tool": "search"},
        {"type": "tool_completed", "tool": "search", "result": []},
        {"type": "agent_completed", "result": "done"},
    ]
    for message in messages:
        restored = json.loads(json.dumps(message))
        assert restored["type"] == message["type"]


def test_each_event_type_through_its_dict():
    for event_type in REQUIRED:
        message = Message(event_type=event_type, data={"run_id": "r1"})
        restored = Message.from_dict(message.to_dict())
        assert restored.event_type == event_type


def test_the_fields_of_each_event():
    for event_type in REQUIRED:
        event = {"type": event_type, "run_id": "r1", "data": {}}
        assert event["type"], f"{event_type} has no type"
        assert json.loads(json.dumps(event))["type"] == event_type
