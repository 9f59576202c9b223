import os

import pytest

CURRENCY = os.environ["SHOP_CURRENCY"]


@pytest.fixture
def price():
    return (10, CURRENCY)
