"""Fixtures of the user tests."""
from helpers.users import user as person  # noqa: F401
