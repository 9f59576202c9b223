"""Shared fixtures of the WebSocket agent-events suite."""

import pytest
import pytest_asyncio


class MockWebSocketManager:
    def __init__(self):
        self.messages = []

    async def send(self, event_type, payload=None):
        self.messages.append({"event_type": event_type, "payload": payload})


@pytest.fixture(scope="session", autouse=True)
def configure_services():
    yield {"env": "test"}


@pytest.fixture(autouse=True, scope="function")
def reset_state():
    yield


@pytest.fixture
def mock_manager():
    return MockWebSocketManager()


@pytest.fixture(scope="session")
def websocket_bridge(mock_manager):  # session fixture over a function-scoped mock
    return {"manager": mock_manager}


@pytest_asyncio.fixture(scope="module")
async def agent_registry():
    return {"agents": ["triage", "data"]}
