import asyncio

import pytest_asyncio


@pytest_asyncio.fixture(scope="module")
async def queue():
    return asyncio.Queue()


@pytest_asyncio.fixture(scope="module")
async def unused_queue():
    return asyncio.Queue()
