from test_framework.websocket_mocks import MockWebSocketConnection


async def test_events():
    connection = MockWebSocketConnection("u1", "c1")
    assert connection
