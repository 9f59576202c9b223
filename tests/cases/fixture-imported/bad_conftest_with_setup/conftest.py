import os

import pytest

os.environ.setdefault("SHOP_CURRENCY", "EUR")  # the fixtures' module reads it at import


@pytest.fixture
def basket():
    return []
