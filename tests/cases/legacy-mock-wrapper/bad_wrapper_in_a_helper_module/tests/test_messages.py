from test_framework.websocket_mocks import make_message


def test_message():
    assert make_message("ping") == {"type": "ping"}
