"""The Rule base class: metadata, documentation and examples; behaviour lives in subclasses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Iterator, Optional

from fixlint.findings import Applicability, Finding

if TYPE_CHECKING:
    from fixlint.project import Project


@dataclass(frozen=True)
class Example:
    """A rule example that the test suite runs: files of a small tree, and what must happen.

    ``files`` maps relative paths to source; ``expected`` lists "<path>:<line> <rule>" for every
    finding of the rule (empty for a valid example); ``fixed`` maps paths to the source after
    ``fixlint fix --unsafe-fixes`` for the files the fix changes.
    """

    files: dict[str, str]
    expected: tuple[str, ...] = ()
    fixed: Optional[dict[str, str]] = None
    ini: str = ""


class Rule:
    name: ClassVar[str]
    family: ClassVar[str]
    summary: ClassVar[str]
    fix: ClassVar[Optional[Applicability]] = None  # the most a fix of this rule may be
    default_enabled: ClassVar[bool] = True
    examples: ClassVar[tuple[Example, ...]] = ()

    def check_project(self, project: "Project") -> Iterator[Finding]:
        """Report what the cross-file model shows; most rules need nothing else."""
        return iter(())
