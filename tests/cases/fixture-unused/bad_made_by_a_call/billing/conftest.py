import pytest


def _make_price():
    return 10


price = pytest.fixture(scope="module")(_make_price)
discount = pytest.fixture(name="rebate")(lambda: 0)
legacy_price = pytest.fixture(_make_price)
