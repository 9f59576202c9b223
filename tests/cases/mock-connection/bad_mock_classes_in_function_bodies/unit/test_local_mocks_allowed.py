# Outside the real-connection suites a local mock is fine.


def test_unit_mock():
    class LocalMockWebSocketConnection:
        def ping(self):
            return "pong"

    assert LocalMockWebSocketConnection().ping() == "pong"
