"""Fixtures of the user tests."""
from helpers.users import guest_fixture as visitor  # noqa: F401
from helpers.users import user as person  # noqa: F401
