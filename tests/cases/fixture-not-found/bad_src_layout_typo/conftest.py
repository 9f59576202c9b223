pytest_plugins = ["shop.testing.plugin"]
