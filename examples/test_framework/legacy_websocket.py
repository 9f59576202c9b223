"""The report's legacy wrapper: a second copy of the unified mock's state."""
from test_framework.fixtures.websocket_manager_mock import create_compliance_mock


class LegacyMockWebSocketManager:
    def __init__(self):
        self._unified_mock = create_compliance_mock()
        self.messages = []  # Conflicting state
        self.connections = {}

    async def send_to_thread(self, thread_id, message):
        await self._unified_mock.send_to_thread(thread_id, message)
        self.messages = self._unified_mock.messages

    def add_connection(self, user_id, connection):
        self._unified_mock.add_connection(user_id, connection)
        self.connections = self._unified_mock.connections
