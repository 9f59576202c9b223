# Mock classes defined inside a fixture and inside a test method: found like module-level ones.
import pytest


@pytest.fixture
def connection():
    class QuietMockWebSocketConnection:
        def __init__(self, user_id):
            self.user_id = user_id
            self.sent = []

        async def send(self, message):
            self.sent.append(message)

    return QuietMockWebSocketConnection("u1")


@pytest.mark.asyncio
async def test_send_through_the_fixture(connection):
    await connection.send({"type": "agent_started"})
    assert connection.sent == [{"type": "agent_started"}]


class TestInline:
    def test_mock_defined_in_the_test(self):
        class EchoMockWebSocketManager:
            def echo(self, message):
                return message

        assert EchoMockWebSocketManager().echo("hi") == "hi"
