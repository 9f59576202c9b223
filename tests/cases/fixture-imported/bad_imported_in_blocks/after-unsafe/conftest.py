import pytest
from helpers.fixtures import account  # noqa: F401
from helpers.fixtures import ledger  # noqa: F401
from helpers.fixtures import user  # noqa: F401


@pytest.fixture
def clock():
    return 0
