"""What rules report: findings, and the fixes they carry. Small frozen data, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Optional


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


@dataclass(frozen=True)
class Fix:
    applicability: Applicability
    edits: tuple[Edit, ...]


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
