# Loaded before collection (it is in a testpath): pytest registers its plugins for the session,
# so `other/` sees them too.
pytest_plugins = ["tests.fixtures.db"]
