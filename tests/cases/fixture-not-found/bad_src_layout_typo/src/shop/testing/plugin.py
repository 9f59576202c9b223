import pytest


@pytest.fixture
def shop_settings():
    return {}
