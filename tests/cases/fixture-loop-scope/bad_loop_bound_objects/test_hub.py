import asyncio

import pytest


@pytest.mark.asyncio
async def test_call(hub, session_client):
    assert await hub["client"].call(1) == 1
    assert await session_client.call(2) == 2


@pytest.mark.asyncio
async def test_queue(hub):
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(hub["queue"].get(), 0.001)


def test_hub_is_made(hub):
    assert hub["ready"].is_set()
