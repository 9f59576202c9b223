import pytest
from helpers.fixtures import customer  # noqa: F401
