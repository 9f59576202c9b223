import pytest
from helpers.fixtures import suite  # noqa: F401
from helpers.fixtures import tenant  # noqa: F401
