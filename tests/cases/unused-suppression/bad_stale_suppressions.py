import pytest as pt
from pytest import fixture as fx


@fx(scope="session")  # fixlint: ignore[fixture-scope-mismatch]
def settings():
    return {"debug": False}


@pt.fixture(
    scope="function",  # fixlint: ignore[fixture-duplicate]
)
def client(settings):
    return settings


# fixlint: ignore[fixture-duplicate]
@pt.fixture
def token():
    return "t"


class TestClient:
    @pt.mark.parametrize("flag", [True, False],)
    async def test_settings(self, client, flag):  # fixlint: ignore[fixture-scope-mismatch, fixture-duplicate]
        assert client == {"debug": False}
