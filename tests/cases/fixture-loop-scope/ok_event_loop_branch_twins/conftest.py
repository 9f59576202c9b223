import asyncio
import os

import pytest

if os.environ.get("ONLY_COLLECT"):

    @pytest.fixture
    def event_loop():
        """A stand-in while only collecting."""
        yield None

else:

    @pytest.fixture
    def event_loop():
        loop = asyncio.new_event_loop()
        yield loop
        loop.close()


@pytest.fixture
def greeting(event_loop):
    async def make():
        return "hello"

    return event_loop.run_until_complete(make())
