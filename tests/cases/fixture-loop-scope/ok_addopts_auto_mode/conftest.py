import pytest


@pytest.fixture
async def inbox():
    return []
