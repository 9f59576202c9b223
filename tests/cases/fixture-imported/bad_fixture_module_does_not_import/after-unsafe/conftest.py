import pytest
from shared.fixtures import bucket  # noqa: F401
