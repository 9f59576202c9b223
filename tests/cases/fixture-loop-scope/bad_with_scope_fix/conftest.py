import asyncio

import pytest
import pytest_asyncio


@pytest.fixture
def settings():
    return {"timeout": 0.001}


@pytest_asyncio.fixture(scope="session")
async def events(settings):
    queue = asyncio.Queue()
    try:
        await asyncio.wait_for(queue.get(), settings["timeout"])  # binds the queue to this loop
    except asyncio.TimeoutError:
        pass
    return queue
