from helpers.fixtures import user  # noqa: F401  (a re-export: pytest finds it here)

pytest_plugins = ["helpers.fixtures"]
