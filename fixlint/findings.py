"""What rules report: findings, and the fixes they carry. Small frozen data, no behaviour."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable, Optional, Union

# A line number a message cites (``conftest.py:12``, ``at line 12``): an edit elsewhere moves it,
# and the finding is still the same one (for the fix loop and for the baseline).
CITED_LINE = re.compile(r"(?<=\.py:)\d+|(?<=\bline )\d+")


class Applicability(str, Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, order=True)
class Edit:
    """Replace the text between two positions (1-based lines, 1-based columns in characters)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    content: str
    # An insertion of whole lines that may stand in any order beside others at its point (an
    # import): fixes of several findings then add their lines in one round.
    unordered: bool = False


class FixDeclined(Exception):
    """Raised by a fix's edits function that finds, once run, that no fix can be made."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Fix:
    """What a finding's fix does. ``edits`` may be given as a function, run once when they are
    first needed: a codemod that parses files, or a plan that re-analyses the project, costs
    nothing to a `check` that shows no edits. The function may raise ``FixDeclined``: the fix
    then has no edits, and ``declined`` says why."""

    def __init__(
        self, applicability: Applicability, edits: Union[tuple[Edit, ...], Callable[[], tuple[Edit, ...]]]
    ) -> None:
        self.applicability = applicability
        self._edits = edits
        self._declined = ""

    @property
    def edits(self) -> tuple[Edit, ...]:
        return self._planned()

    @property
    def declined(self) -> str:
        """Why the edits function found no fix ("" when it found one); runs it if it has not run."""
        self._planned()
        return self._declined

    def _planned(self) -> tuple[Edit, ...]:
        if callable(self._edits):
            try:
                self._edits = tuple(self._edits())
            except FixDeclined as declined:
                self._edits, self._declined = (), declined.reason
        return self._edits

    @property
    def edits_known(self) -> bool:
        """The edits are at hand: reading them runs no codemod."""
        return not callable(self._edits)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Fix):
            return NotImplemented
        return self is other or (self.applicability, self.edits) == (other.applicability, other.edits)

    def __hash__(self) -> int:
        return hash(self.applicability)

    def __repr__(self) -> str:
        return f"Fix({self.applicability.value}, {self._edits!r})"


@dataclass(frozen=True)
class Finding:
    rule: str
    path: str  # absolute, posix
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    severity: str = "error"
    fix: Optional[Fix] = None
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    # Other files the finding is about (the tests that hit it): reported when one of them is named.
    concerns: tuple[str, ...] = field(default=(), compare=False, hash=False)
    # Other lines of the same file where a suppression comment counts (a fixture's ``def`` line).
    suppressible_at: tuple[int, ...] = field(default=(), compare=False, hash=False)

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.rule, self.message)
