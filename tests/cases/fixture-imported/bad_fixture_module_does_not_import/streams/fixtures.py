# The client package is not installed in the suite's environment: importing fails.
import pytest
import websocket


@pytest.fixture
def socket_client():
    return websocket
