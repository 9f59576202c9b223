import pytest
from helpers.fixtures import tenant  # noqa: F401
