"""The project's own fixtures, shipped in its package (installed, often editable)."""

import pytest


@pytest.fixture
def shop_client():
    return "client"


@pytest.fixture
def shop_user(shop_client):
    return "user"
