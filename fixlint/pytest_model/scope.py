"""Fixture scopes, ordered as in ``_pytest/scope.py``: compare with ``<``, never as strings."""

from __future__ import annotations

from enum import Enum
from functools import total_ordering
from typing import Optional


@total_ordering
class Scope(Enum):
    FUNCTION = "function"
    CLASS = "class"
    MODULE = "module"
    PACKAGE = "package"
    SESSION = "session"

    @property
    def rank(self) -> int:
        return _ORDER.index(self)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Scope):
            return NotImplemented
        return self.rank < other.rank

    @classmethod
    def parse(cls, value: str) -> Optional["Scope"]:
        try:
            return cls(value)
        except ValueError:
            return None


_ORDER = [Scope.FUNCTION, Scope.CLASS, Scope.MODULE, Scope.PACKAGE, Scope.SESSION]
SCOPE_NAMES = tuple(scope.value for scope in _ORDER)
