"""A mock connection: fine in unit tests, not in the mission-critical suite."""


class MockWebSocketConnection:
    def __init__(self, user_id, connection_id):
        self.user_id = user_id
        self.connection_id = connection_id
        self.messages = []

    async def send(self, message):
        self.messages.append(message)
