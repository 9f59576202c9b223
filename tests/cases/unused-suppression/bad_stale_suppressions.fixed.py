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


@pt.fixture  # fixlint: ignore[fixture-scope-mismach]
def misspelt():
    return "a name that does not exist is not deleted"


def test_unknown_name():  # fixlint: ignore[no-such-rule, fixture-duplicate]
    pass
