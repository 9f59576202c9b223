import pytest

from helpers.retired_client import connect  # the module is gone: importing this one fails


@pytest.fixture
def customer():
    return connect({"name": "ada"})
