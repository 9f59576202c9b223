"""Fixtures of the user tests."""
