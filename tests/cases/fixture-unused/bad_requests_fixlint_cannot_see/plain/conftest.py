import pytest

__all__ = ["exported"]


@pytest.fixture
def exported():
    return "for other projects"


if True:
    @pytest.fixture
    def in_branch():
        return 1


@pytest.fixture
def plain_unused():
    return 1
