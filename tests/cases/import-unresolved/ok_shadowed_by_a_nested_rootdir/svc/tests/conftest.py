# The service package chain ends at the repository root: pytest puts the root on sys.path.
import pytest


@pytest.fixture
def service():
    return "svc"
