"""Errors that reach the user as a message and exit code 2, never as a traceback."""


class ConfigError(Exception):
    """A settings problem; the message names the file and the key."""
