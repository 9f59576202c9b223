pytest_plugins = [
    "helpers.accounts",
]
