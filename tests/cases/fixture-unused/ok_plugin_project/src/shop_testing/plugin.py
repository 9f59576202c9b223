import pytest


@pytest.fixture
def shop():
    return "a shop for the projects that install this plugin"
