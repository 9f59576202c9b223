import pytest as pt
import pytest_asyncio as pa
from pytest_asyncio import fixture as async_fixture


@async_fixture(
    scope="module",  # one client per module
    loop_scope="module",
)
async def client():
    return {"connected": True}


@pa.fixture(loop_scope="module", scope="class",)
async def session_state():
    return {}


class TestClient:
    @pt.mark.asyncio(loop_scope="module")
    async def test_client(self, client, session_state):
        assert client["connected"]
