import pytest as pt
from pytest import fixture as fx


@fx(scope="session")
def settings():
    return {"debug": False}


@pt.fixture(
    scope="function",
)
def client(settings):
    return settings


# fixlint: ignore[fixture-duplicate]
@pt.fixture
def token():
    return "t"


class TestClient:
    @pt.mark.parametrize("flag", [True, False],)
    async def test_settings(self, client, flag):
        assert client == {"debug": False}
