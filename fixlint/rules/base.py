"""The Rule base class: metadata, documentation and examples; behaviour lives in subclasses."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Optional

from fixlint.errors import ConfigError
from fixlint.findings import Applicability, Finding, Fix

if TYPE_CHECKING:
    from fixlint.facts.model import FixtureFact
    from fixlint.pytest_model.config import PytestConfig
    from fixlint.pytest_model.project import Project


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
    also_select: tuple[str, ...] = ()  # rules that must run beside this one (for unused-suppression)
    applicability: Optional[Applicability] = None  # of the fixes, where not the rule's own ``fix``


@dataclass(frozen=True)
class Option:
    """An option of a rule family, set in ``[tool.fixlint.<family>]``."""

    default: Any
    description: str
    choices: tuple[str, ...] = ()
    # Checks a value the type check let through; raises ConfigError (given ``where``) if it is bad.
    check: Optional[Callable[[Any, str], None]] = None

    def validate(self, value: Any, where: str) -> Any:
        expected = type(self.default)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ConfigError(f"{where}: expected {expected.__name__}, got {value!r}")
        if expected is list and not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
        if self.choices and value not in self.choices:
            raise ConfigError(f"{where}: expected one of {', '.join(self.choices)}, got {value!r}")
        if self.check is not None:
            self.check(value, where)
        return value


# What a rule's findings keep from working, worst first: ``fixlint report`` ranks its fixes by it.
# A collection error stops pytest importing a file (none of its tests run); a setup error fails
# the tests that reach it; a requirement is one the suite sets itself (real connections, every
# required event checked); maintenance findings make the suite harder to keep right; style
# findings are for a reader only (mixed autouse scopes: pytest runs them).
BLOCKS = ("collection-error", "setup-error", "requirement", "maintenance", "style")


class Rule:
    name: ClassVar[str]
    family: ClassVar[str]
    blocks: ClassVar[str]  # one of BLOCKS
    summary: ClassVar[str]
    fix: ClassVar[Optional[Applicability]] = None  # the most a fix of this rule may be
    default_enabled: ClassVar[bool] = True
    examples: ClassVar[tuple[Example, ...]] = ()
    options_schema: ClassVar[Mapping[str, Option]] = {}

    def __init__(self, options: Optional[Mapping[str, Any]] = None) -> None:
        defaults = {name: option.default for name, option in self.options_schema.items()}
        self.options = {**defaults, **(options or {})}

    # Whether ``check_project`` reads the modules the tests import (``load_imported_modules``):
    # the engine then reads them all at once, in parallel, before the rules run.
    reads_imported_modules: ClassVar[bool] = False

    def check_project(self, project: Project) -> Iterator[Finding]:
        """Report what the cross-file model shows; most rules need nothing else."""
        return iter(())

    def reads_bodies(self, path: Path, config: PytestConfig) -> bool:
        """Whether the rule reads what the bodies of the module's functions show
        (``FileFacts.bodies`` beyond their names): most of a read, skipped where no rule asks."""
        return False

    def reads_globals(self, path: Path, config: PytestConfig) -> bool:
        """Whether the rule reads which top-level names the module's code reads
        (``FileFacts.globals_read``): a traversal of its own, skipped where no rule asks."""
        return False


class FixStep:
    """A step of a rule family that ``fix`` takes before its loop when the command line asks for it
    by ``flag`` (the required-events family writes its helper module so). The engine knows no
    family: it hands the step the options of the family's rules and the rootdirs of the paths."""

    family: ClassVar[str]
    flag: ClassVar[str]
    help: ClassVar[str]

    def run(self, options: Mapping[str, Any], rootdirs: Sequence[Path], write: bool) -> list[str]:
        """Notes for the user; nothing is written unless ``write``."""
        raise NotImplementedError


def code_list(names: Sequence[str]) -> str:
    """`a`, `b`: names as a message shows them."""
    return ", ".join(f"`{name}`" for name in names)


def tests_phrase(nodeids: list[str]) -> str:
    """ "a::test_x" or "a::test_x and 3 more tests": the tests a finding hits, for its message."""
    if len(nodeids) == 1:
        return nodeids[0]
    return f"{nodeids[0]} and {len(nodeids) - 1} more test{'s' if len(nodeids) > 2 else ''}"


def fixture_finding(
    rule: str,
    path: str,
    fact: FixtureFact,
    message: str,
    *,
    fix: Optional[Fix] = None,
    severity: str = "error",
    data: Optional[dict[str, Any]] = None,
    concerns: tuple[str, ...] = (),
) -> Finding:
    """A finding about a fixture: reported at its first decorator line, spanning the decorator,
    and suppressible on its ``def`` line too."""
    span = fact.decorator.span
    return Finding(
        rule=rule,
        path=path,
        line=fact.line,
        column=fact.column,
        end_line=span.end_line,
        end_column=span.end_column,
        message=message,
        severity=severity,
        fix=fix,
        data=data or {},
        concerns=concerns,
        suppressible_at=(fact.def_line,),
    )
