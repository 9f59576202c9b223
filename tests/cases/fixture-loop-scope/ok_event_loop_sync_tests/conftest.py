import asyncio

import pytest


@pytest.fixture
def event_loop():
    """A loop the sync tests drive themselves: pytest-asyncio 1.x has no fixture of this name."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()
