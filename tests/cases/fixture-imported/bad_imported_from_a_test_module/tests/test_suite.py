# Kept for the modules that import the fixtures from here: its `__all__` exports them.
from helpers.fixtures import suite_config

__all__ = ["suite_config"]


def test_suite_config(suite_config):
    assert suite_config["tenants"] == 2
