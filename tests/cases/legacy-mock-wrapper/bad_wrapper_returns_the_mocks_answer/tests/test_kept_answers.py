# Near misses: the answer is held but read again, or held and dropped; the mock's own method
# would answer otherwise, so the wrappers get no fix.
import pytest

from test_framework.fixtures.websocket_manager_mock import create_compliance_mock


class AuditingShim:
    def __init__(self):
        self._unified_mock = create_compliance_mock()
        self.messages = []

    async def send_to_thread(self, thread_id, message):
        delivered = await self._unified_mock.send_to_thread(thread_id, message)
        self.messages = self._unified_mock.messages
        self.last_delivered = delivered
        return delivered


class SilentShim:
    def __init__(self):
        self._unified_mock = create_compliance_mock()
        self.connections = {}

    def connect(self, user_id):
        count = self._unified_mock.connect(user_id)
        self.connections = self._unified_mock.connections


@pytest.mark.asyncio
async def test_audit_keeps_the_last_answer():
    shim = AuditingShim()
    assert await shim.send_to_thread("t1", {"type": "agent_thinking"})
    assert shim.last_delivered is True


def test_silent_connect_answers_nothing():
    shim = SilentShim()
    assert shim.connect("u1") is None
    assert shim.connections == {"u1": True}
