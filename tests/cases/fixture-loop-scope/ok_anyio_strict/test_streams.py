import pytest

pytestmark = pytest.mark.anyio


async def test_stream(stream, backend_name):
    assert stream == [1, 2]
    assert backend_name == "asyncio"
