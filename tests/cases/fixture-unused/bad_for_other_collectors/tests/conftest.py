import pytest


@pytest.fixture
def api_token():  # a Python test stands below, and no test requests it: the text file does not
    return "token"
