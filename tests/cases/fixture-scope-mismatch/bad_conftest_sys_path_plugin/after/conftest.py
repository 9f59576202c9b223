import os
import sys

import pytest

# The plugin module lives in support/, which this conftest puts on sys.path before pytest
# imports the plugins it names.
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "support"))

pytest_plugins = ["shared_fixtures"]


@pytest.fixture(scope="function")
def client(settings):
    return dict(settings)
