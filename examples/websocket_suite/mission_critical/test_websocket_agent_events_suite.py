import pytest


@pytest.fixture
def user_context():
    return {"user_id": "u1"}


@pytest.fixture
def user_context():
    return {"user_id": "u2", "thread_id": "t1"}


@pytest.mark.asyncio
async def test_agent_flow_emits_events(websocket_bridge, agent_registry, user_context):
    manager = websocket_bridge["manager"]
    for event in ("agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"):
        await manager.send(event)
    sent = [message["event_type"] for message in manager.messages]
    assert "agent_started" in sent
    assert "agent_completed" in sent


def test_registry_is_shared(agent_registry):
    assert agent_registry
