import pytest


@register_fixture
@pytest.fixture
def user():
    return "bob"
