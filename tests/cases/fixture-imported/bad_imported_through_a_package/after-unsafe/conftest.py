import pytest
from helpers import customer  # noqa: F401
