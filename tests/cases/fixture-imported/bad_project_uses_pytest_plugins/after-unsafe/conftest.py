pytest_plugins = [
    "helpers.accounts",
    "helpers.orders",
]
