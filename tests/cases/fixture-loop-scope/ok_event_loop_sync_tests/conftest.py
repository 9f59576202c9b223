import asyncio

import pytest


@pytest.fixture
def event_loop():
    """A loop the sync tests drive themselves: pytest-asyncio 1.x has no fixture of this name."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture
def seeded_rows(event_loop):
    async def seed():
        return [1, 2]

    return event_loop.run_until_complete(seed())
