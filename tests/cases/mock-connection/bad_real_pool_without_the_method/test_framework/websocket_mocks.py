class MockWebSocketConnection:
    def __init__(self, user_id, connection_id):
        self.user_id = user_id
        self.connection_id = connection_id
