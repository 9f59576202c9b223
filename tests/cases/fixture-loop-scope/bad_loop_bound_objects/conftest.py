import asyncio

import pytest_asyncio


class Client:
    """Bound to the loop it was made in, as a network client is."""

    def __init__(self):
        self.loop = asyncio.get_running_loop()

    async def call(self, value):
        future = self.loop.create_future()
        self.loop.call_soon(future.set_result, value)
        return await future


async def bound_queue():
    queue = asyncio.Queue()
    try:
        await asyncio.wait_for(queue.get(), 0.001)  # binds the queue to this loop
    except asyncio.TimeoutError:
        pass
    return queue


@pytest_asyncio.fixture(scope="session")
async def hub():
    ready = asyncio.Event()
    ready.set()
    await ready.wait()
    return {"client": Client(), "queue": await bound_queue(), "ready": ready}


@pytest_asyncio.fixture
async def session_client():
    return Client()
