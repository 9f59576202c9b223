"""An audit of a suite from a check run's findings: per file its five checks, its priority and its
worst code; across files the issues by rule and the fixes in the order they should be applied."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from fixlint.files.display import display_path
from fixlint.files.walk import Excluded
from fixlint.findings import Applicability, Finding
from fixlint.pytest_model.collection import iter_source_files
from fixlint.pytest_model.config import ConfigFinder
from fixlint.rules.base import BLOCKS, FixStep, Rule

# The fix priority of what a rule's findings block (``Rule.blocks``).
PRIORITY = {
    "collection-error": "critical",
    "setup-error": "critical",
    "requirement": "high",
    "maintenance": "medium",
    "style": "low",
}
PRIORITIES = ("critical", "high", "medium", "low", "none")
STATUS = {
    "collection-error": "BLOCKED: pytest cannot collect it",
    "setup-error": "FAILING: pytest raises an error when its tests set up",
    "requirement": "RUNS, but misses the suite's requirements",
    "maintenance": "RUNS, needs maintenance",
    "style": "RUNS, style findings only",
    None: "CLEAN: nothing found",
}
# The audit's five checks and the rules that answer each.
CHECKS = (
    ("Imports working", ("import-unresolved", "syntax-error")),
    ("Mock strategy", ("legacy-mock-wrapper",)),
    (
        "Fixture conflicts",
        ("fixture-scope-mismatch", "fixture-loop-scope", "fixture-autouse-mixed", "fixture-duplicate"),
    ),
    ("Event coverage", ("required-events-missing", "required-events-standard")),
    ("Real vs mock", ("mock-connection",)),
)
PASS, FAIL, WARN, UNCHECKED = "✅", "❌", "⚠️", "➖"
EXCERPT_LINES = 6


@dataclass
class Check:
    name: str
    mark: str
    evidence: str


@dataclass
class FileAudit:
    path: str  # as shown: relative to the working folder
    findings: list[Finding]
    checks: list[Check]
    blocks: Optional[str]  # the worst a finding of the file blocks; None: no finding
    excerpt: str = ""  # the lines of its worst finding
    excerpt_at: str = ""  # "path:line rule"

    @property
    def priority(self) -> str:
        return PRIORITY[self.blocks] if self.blocks else "none"

    @property
    def status(self) -> str:
        return STATUS[self.blocks]


@dataclass
class RuleIssue:
    """One rule's findings across the files: a common issue, and a fix to apply."""

    rule: str
    family: str
    summary: str
    blocks: str
    files: list[str]
    safe: int = 0
    unsafe: int = 0
    manual: int = 0
    steps: list[str] = field(default_factory=list)  # flags of the family's fix steps
    example: str = ""

    @property
    def count(self) -> int:
        return self.safe + self.unsafe + self.manual

    @property
    def priority(self) -> str:
        return PRIORITY[self.blocks]


@dataclass
class Audit:
    paths: str  # the paths as the command line named them
    selected: list[str]
    files: list[FileAudit]  # worst first
    issues: list[RuleIssue]  # worst first: the fixes in the order to apply them

    @property
    def with_findings(self) -> int:
        return sum(1 for file in self.files if file.findings)

    def detailed(self, top: int) -> list[FileAudit]:
        """The files shown in detail: the first ``top`` with findings, worst first."""
        return [file for file in self.files if file.findings][:top]

    @property
    def critical(self) -> list[FileAudit]:
        return [file for file in self.files if file.priority == "critical"]

    def per_family(self) -> dict[str, tuple[int, int]]:
        """family -> (findings, files)."""
        counts: dict[str, tuple[int, set[str]]] = {}
        for issue in self.issues:
            findings, files = counts.get(issue.family, (0, set()))
            counts[issue.family] = (findings + issue.count, files | set(issue.files))
        return {family: (findings, len(files)) for family, (findings, files) in sorted(counts.items())}

    def fix_totals(self) -> tuple[int, int, int, int]:
        """(safe findings, files they touch, unsafe findings, files they touch)."""
        safe = [f for file in self.files for f in file.findings if _applicability(f) is Applicability.SAFE]
        unsafe = [f for file in self.files for f in file.findings if _applicability(f) is Applicability.UNSAFE]
        return len(safe), len({f.path for f in safe}), len(unsafe), len({f.path for f in unsafe})


def build_audit(
    findings: Sequence[Finding],
    suite_files: Iterable[Path],
    *,
    rules: Mapping[str, type[Rule]],
    steps: Sequence[FixStep],
    selected: Sequence[str],
    paths: str,
    cwd: Path,
) -> Audit:
    by_path: dict[str, list[Finding]] = {str(path): [] for path in suite_files}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    files = [_file_audit(path, found, rules, set(selected), cwd) for path, found in by_path.items()]
    files.sort(key=lambda file: (PRIORITIES.index(file.priority), -len(file.findings), file.path))
    issues: dict[str, RuleIssue] = {}
    for finding in findings:
        rule = rules[finding.rule]
        issue = issues.get(rule.name)
        if issue is None:
            flags = [step.flag for step in steps if step.family == rule.family and rule.fix is not None]
            issue = issues[rule.name] = RuleIssue(
                rule.name, rule.family, rule.summary, rule.blocks, [], steps=flags, example=finding.message
            )
        shown = display_path(finding.path, cwd)
        if shown not in issue.files:
            issue.files.append(shown)
        applicability = _applicability(finding)
        if applicability is Applicability.SAFE:
            issue.safe += 1
        elif applicability is Applicability.UNSAFE:
            issue.unsafe += 1
        else:
            issue.manual += 1
    ordered = sorted(issues.values(), key=lambda issue: (BLOCKS.index(issue.blocks), -issue.count, issue.rule))
    return Audit(paths, list(selected), files, ordered)


def _applicability(finding: Finding) -> Optional[Applicability]:
    return finding.fix.applicability if finding.fix is not None else None


def _file_audit(
    path: str, findings: list[Finding], rules: Mapping[str, type[Rule]], selected: set[str], cwd: Path
) -> FileAudit:
    findings.sort(key=lambda finding: finding.sort_key)
    blocks = min((rules[finding.rule].blocks for finding in findings), key=BLOCKS.index, default=None)
    audit = FileAudit(
        display_path(path, cwd),
        findings,
        [_check(name, names, findings, rules, selected) for name, names in CHECKS],
        blocks,
    )
    if findings:
        worst = min(findings, key=lambda finding: (BLOCKS.index(rules[finding.rule].blocks), finding.line))
        audit.excerpt = _excerpt(Path(worst.path), worst.line, worst.end_line)
        audit.excerpt_at = f"{audit.path}:{worst.line} {worst.rule}"
    return audit


def _check(
    name: str, names: Sequence[str], findings: list[Finding], rules: Mapping[str, type[Rule]], selected: set[str]
) -> Check:
    if not selected.intersection(names):
        return Check(name, UNCHECKED, f"not checked: none of {', '.join(names)} selected")
    found = [finding for finding in findings if finding.rule in names]
    if not found:
        return Check(name, PASS, "nothing found by " + ", ".join(rule for rule in names if rule in selected))
    errors = [finding for finding in found if rules[finding.rule].blocks in ("collection-error", "setup-error")]
    broken = [finding for finding in found if rules[finding.rule].blocks == "requirement"]
    others = [finding for finding in found if finding not in errors and finding not in broken]
    parts = []
    if errors:
        parts.append(f"{len(errors)} error{'s' if len(errors) > 1 else ''} pytest raises (line {_lines(errors)})")
    if broken:
        parts.append(f"{len(broken)} unmet requirement{'s' if len(broken) > 1 else ''} (line {_lines(broken)})")
    if others:
        kinds = sorted({finding.rule for finding in others})
        parts.append(f"{len(others)} not errors ({', '.join(kinds)}; line {_lines(others)})")
    first = (errors or broken or others)[0]
    return Check(name, FAIL if errors or broken else WARN, "; ".join(parts) + f": {first.message}")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _lines(findings: list[Finding]) -> str:
    lines = sorted({finding.line for finding in findings})
    return ", ".join(str(line) for line in lines[:5]) + (", ..." if len(lines) > 5 else "")


def _excerpt(path: Path, line: int, end_line: int) -> str:
    """The lines of a finding, a few at most, as the file has them now."""
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return ""
    lines = text.splitlines()
    # At least a few lines: a fixture's finding spans its decorator alone, its ``def`` follows.
    last = min(max(end_line, line + 2), line + EXCERPT_LINES - 1, len(lines))
    chosen = lines[line - 1 : last]
    indent = min((len(text) - len(text.lstrip()) for text in chosen if text.strip()), default=0)
    return "\n".join(text[indent:].rstrip() for text in chosen)


def suite_files(targets: Sequence[Path], finder: ConfigFinder, excluded: Excluded) -> list[Path]:
    """The files a check of ``targets`` reads for themselves: test modules and conftests."""
    return list(iter_source_files(targets, finder, excluded, []))
