import pytest


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
async def stream():  # strict mode, but anyio's plugin sets it up for its tests
    return [1, 2]


@pytest.fixture
async def backend_name(anyio_backend):
    return anyio_backend
