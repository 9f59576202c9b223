import pytest


@pytest.mark.asyncio(loop_scope="session")
async def test_pool(agent_pool, per_test_session, locale):
    assert agent_pool == ["triage"]
