import pytest


@pytest.mark.asyncio(loop_scope="session")
async def test_registry(agent_registry, bridge, per_test_client):
    assert agent_registry["agents"]
