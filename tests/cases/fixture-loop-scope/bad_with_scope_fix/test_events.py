import asyncio

import pytest


@pytest.mark.asyncio
async def test_no_event_yet(events):
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(events.get(), 0.001)
