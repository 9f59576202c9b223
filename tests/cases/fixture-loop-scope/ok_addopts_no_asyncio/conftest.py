import pytest
import pytest_asyncio


@pytest.fixture
async def plain_async():  # run by another plugin here: pytest-asyncio is off
    return 1


@pytest_asyncio.fixture(scope="module", loop_scope="function")
async def not_run_by_asyncio():
    return 2


@pytest.fixture
def event_loop():
    yield None
