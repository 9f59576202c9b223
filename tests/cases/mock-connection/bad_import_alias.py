import pytest
from test_framework.websocket_mocks import MockWebSocketConnection as MockConnection


@pytest.mark.real_websocket
def test_events():
    assert MockConnection("u", "c")
