import pytest

__all__ = ["exported"]


@pytest.fixture
def staff_client():
    return "staff"


@pytest.fixture
def app_client():
    return "app"


@pytest.fixture
def exported():
    return "for other projects"


if True:
    @pytest.fixture
    def in_branch():
        return 1
