import pytest

__all__ = ["exported"]


@pytest.fixture
def exported():
    return "for other projects"


if True:
    @pytest.fixture
    def in_branch():
        return 1
