"""Fixture scopes, ordered as in ``_pytest/scope.py``: compare with ``<``, never as strings."""

from __future__ import annotations

from enum import Enum
from typing import Optional


class Scope(Enum):
    FUNCTION = "function"
    CLASS = "class"
    MODULE = "module"
    PACKAGE = "package"
    SESSION = "session"

    # Spelled out rather than by ``total_ordering``: the analysis compares scopes for every request.
    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Scope):
            return NotImplemented
        return _RANK[self.value] < _RANK[other.value]

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Scope):
            return NotImplemented
        return _RANK[self.value] > _RANK[other.value]

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Scope):
            return NotImplemented
        return _RANK[self.value] <= _RANK[other.value]

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Scope):
            return NotImplemented
        return _RANK[self.value] >= _RANK[other.value]

    @classmethod
    def parse(cls, value: str) -> Optional["Scope"]:
        try:
            return cls(value)
        except ValueError:
            return None


_ORDER = [Scope.FUNCTION, Scope.CLASS, Scope.MODULE, Scope.PACKAGE, Scope.SESSION]
_RANK = {scope.value: rank for rank, scope in enumerate(_ORDER)}
SCOPE_NAMES = tuple(scope.value for scope in _ORDER)
