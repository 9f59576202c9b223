"""Near misses of round trips: messages made up per event and sent through a manager (as a dict of
the message, or the message itself), then checked on what the manager delivered; or sent, and
recorded beside, then checked on the record (the test sends them: kept)."""

REQUIRED = ("agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed")


class Message:
    def __init__(self, event_type, data):
        self.event_type = event_type
        self.data = data

    def to_dict(self):
        return {"type": self.event_type, "data": self.data}


class Manager:
    def __init__(self):
        self.delivered = []

    def send_to_user(self, user_id, message):
        self.delivered.append(message if isinstance(message, dict) else message.to_dict())


def test_every_event_delivered_as_a_dict():
    manager = Manager()
    for event_type in REQUIRED:
        message = Message(event_type=event_type, data={"run_id": "r1"})
        manager.send_to_user("u1", message.to_dict())
    types = [message["type"] for message in manager.delivered]
    for name in REQUIRED:
        assert name in types


def test_every_event_delivered_as_a_message():
    manager = Manager()
    for event_type in REQUIRED:
        manager.send_to_user("u1", message=Message(event_type=event_type, data={}))
    delivered = {message["type"] for message in manager.delivered}
    assert delivered == set(REQUIRED)


class Recorder:
    REQUIRED_EVENTS = {"agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"}

    def __init__(self):
        self.events = []

    def record(self, event):
        self.events.append(event)


def test_every_event_sent_and_recorded():
    manager = Manager()
    recorder = Recorder()
    for name in reversed(REQUIRED):
        event = {"type": name, "run_id": "r1"}
        manager.send_to_user("u1", event)
        recorder.record(event)
    types = {event["type"] for event in recorder.events}
    assert recorder.REQUIRED_EVENTS.issubset(types)
