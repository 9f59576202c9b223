import os

import pytest


@pytest.fixture
def region():
    return os.environ["SHOP_REGION"]
