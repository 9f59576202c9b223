pytest_plugins = ["helpers.db_plugin"]
