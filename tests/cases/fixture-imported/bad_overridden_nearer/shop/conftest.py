from helpers.fixtures import basket  # noqa: F401
