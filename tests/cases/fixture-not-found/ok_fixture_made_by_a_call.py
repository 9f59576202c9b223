import pytest
from pytest import fixture as fx


def _make_store(tmp_path):
    return tmp_path / "store"


# pytest registers each attribute below as a fixture: `store`, and `greeting` by its `name=`
store = pytest.fixture(_make_store)
salutation = fx(name="greeting", scope="module")(lambda: "hello")


class TestMadeByACall:
    def _make_limit(self):
        return 3

    limit = pytest.fixture(_make_limit)

    def test_requests_them(self, store, greeting, limit):
        assert store.name == "store" and greeting == "hello" and limit == 3
