import pytest


# A near miss: pytest-asyncio runs `token` in a function-scoped loop, so widening it would
# widen what runs it too; narrowing each fixture that requests it is the fix.
@pytest.fixture
async def token():
    return "t"


@pytest.fixture(scope="function")
def reader(token):
    return {"token": token}


@pytest.fixture(scope="function")
def writer(token):
    return {"token": token}
