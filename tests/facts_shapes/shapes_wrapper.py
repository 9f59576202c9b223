"""Wrapper classes in several shapes."""
from mocks import create_compliance_mock
import mocks


class LegacyMockWebSocketManager:
    def __init__(self, *args):
        self._unified_mock = create_compliance_mock()
        self.messages = []
        self.count: int = 0
        self.derived = self._unified_mock.messages

    def send(self, message):
        self._unified_mock.send(message)
        self.messages = self._unified_mock.messages

    async def close(self):
        self.count = self._unified_mock.count
        self._unified_mock.closed = True

    @property
    def sent(self):
        return self._unified_mock.sent


class WithArguments:
    def __init__(self):
        self.first = object()
        self._mock = mocks.create(strict=True)
        self.state = {}

    def sync(self):
        self.state = self._mock.state


class NotAWrapper:
    def __init__(self):
        self.x = 1
