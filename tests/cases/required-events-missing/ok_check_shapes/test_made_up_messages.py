# A queue suite: messages made up by the tests, typed like the events, are pushed through a
# transport to test its queue. No agent flow runs: the suite owes no event check.


class Transport:
    def __init__(self):
        self.connected = False
        self.queue = []
        self.delivered = []

    def send_to_user(self, message):
        if not self.connected:
            self.queue.append(message)
            return False
        self.delivered.append(message)
        return True

    def connect(self):
        self.connected = True
        while self.queue:
            self.delivered.append(self.queue.pop(0))


def test_messages_wait_for_the_connection():
    transport = Transport()
    messages = [
        {"type": "agent_started", "data": {"agent": "a"}},
        {"type": "agent_thinking", "data": {"thought": "t"}},
        {"type": "tool_executing", "data": {"tool": "search"}},
    ]
    for message in messages:
        transport.send_to_user(message)
    transport.connect()
    assert len(transport.delivered) == 3


def test_messages_after_the_connection_go_at_once():
    transport = Transport()
    transport.connect()
    assert transport.send_to_user({"type": "tool_completed", "data": {}})
    assert transport.send_to_user({"type": "agent_completed", "data": {}})
    assert len(transport.delivered) == 2
