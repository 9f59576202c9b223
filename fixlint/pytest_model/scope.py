"""Fixture scopes, ordered as in ``_pytest/scope.py``: compare with ``<``, never as strings."""

from __future__ import annotations

from enum import Enum
from typing import Optional

# Narrowest first.
SCOPE_NAMES = ("function", "class", "module", "package", "session")


class Scope(Enum):
    FUNCTION = "function"
    CLASS = "class"
    MODULE = "module"
    PACKAGE = "package"
    SESSION = "session"

    def __init__(self, value: str) -> None:
        # A plain attribute: comparisons read it for every request of every test, and an
        # Enum's ``value`` is a descriptor, several times slower.
        self.rank = SCOPE_NAMES.index(value)

    # Members are singletons, equal only to themselves: identity hashes them, in C, where an
    # Enum hashes its name in Python (every request's group key holds two scopes).
    __hash__ = object.__hash__

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Scope):
            return NotImplemented
        return self.rank < other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Scope):
            return NotImplemented
        return self.rank > other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Scope):
            return NotImplemented
        return self.rank <= other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Scope):
            return NotImplemented
        return self.rank >= other.rank

    @classmethod
    def parse(cls, value: str) -> Optional[Scope]:
        try:
            return cls(value)
        except ValueError:
            return None
