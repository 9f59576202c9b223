

def test_users(shim_db, suite_config):
    assert shim_db == {} and suite_config["tenants"] == 2
