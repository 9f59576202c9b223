import pytest
from helpers.fixtures import shim_db  # noqa: F401
from helpers.fixtures import suite_config  # noqa: F401
