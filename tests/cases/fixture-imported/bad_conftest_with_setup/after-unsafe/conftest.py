import os

import pytest

os.environ.setdefault("SHOP_CURRENCY", "EUR")  # the fixtures' module reads it at import
from helpers.prices import price  # noqa: F401


@pytest.fixture
def basket():
    return []
