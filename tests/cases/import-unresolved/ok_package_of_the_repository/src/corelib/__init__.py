"""The repository's own library, beside the services that use it."""

VERSION = "1"
