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


@pt.fixture  # fixlint: ignore[fixture-scope-mismach]
def misspelt():
    return "a name that does not exist is not deleted"


def test_unknown_name():  # fixlint: ignore[no-such-rule, fixture-duplicate]
    pass
