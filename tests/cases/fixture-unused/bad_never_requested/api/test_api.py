import pytest


class TestApi:
    @pytest.fixture
    def token(self):
        return "t"

    @pytest.fixture
    async def never(self):
        return 1

    def test_get(self, client, token):
        assert client and token


def test_config(config):
    assert config["debug"]
