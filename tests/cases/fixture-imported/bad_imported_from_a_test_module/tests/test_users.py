from tests.test_shim import shim_db
from tests.test_suite import suite_config


def test_users(shim_db, suite_config):
    assert shim_db == {} and suite_config["tenants"] == 2
