"""``# fixlint: ignore`` and ``# fixlint: ignore[rule, ...]`` comments: the findings they
suppress, and the comments that suppress nothing (``unused-suppression``, with a safe fix that
removes them) or name a rule that does not exist (reported with the nearest name, no fix)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import Optional

from fixlint.facts.model import Suppression
from fixlint.files.source_text import SourceText
from fixlint.findings import Applicability, Edit, Finding, Fix
from fixlint.modules import SourceFile
from fixlint.pytest_model.project import Project
from fixlint.rules.registry import RULES


def apply_suppressions(
    findings: list[Finding], project: Project, report_set: set[str], selected: Sequence[str]
) -> list[Finding]:
    """The findings no ``# fixlint: ignore`` comment suppresses, and, when the rule is selected,
    an ``unused-suppression`` finding for each comment in the reported files that suppresses nothing."""
    kept: list[Finding] = []
    used: set[int] = set()
    by_line: dict[tuple[str, int], list[Suppression]] = {}
    for file in project.files.values():
        for suppression in file.facts.suppressions:
            by_line.setdefault((str(file.path), suppression.line), []).append(suppression)
    for finding in findings:
        matched = [
            s
            for line in (finding.line, *finding.suppressible_at)
            for s in by_line.get((finding.path, line), [])
            if s.rules is None or finding.rule in s.rules
        ]
        used.update(id(s) for s in matched)
        if not matched:
            kept.append(finding)
    if "unused-suppression" in selected:
        for (path, _), suppressions in by_line.items():
            if path not in report_set:
                continue
            for suppression in suppressions:
                unknown = [name for name in suppression.rules or () if name not in RULES]
                if unknown:
                    kept.append(_unknown_rules(path, suppression, unknown))
                elif id(suppression) not in used and _can_judge(suppression, selected):
                    kept.append(_unused_suppression(project, project.files[Path(path)], suppression))
    return kept


def _unknown_rules(path: str, suppression: Suppression, unknown: list[str]) -> Finding:
    """A misspelt name suppresses nothing, and deleting the comment would lose what it meant."""
    named = []
    for name in unknown:
        near = difflib.get_close_matches(name, list(RULES), n=1)
        named.append(f"`{name}`" + (f" (did you mean `{near[0]}`?)" if near else ""))
    return Finding(
        "unused-suppression",
        path,
        suppression.line,
        suppression.column,
        suppression.line,
        suppression.column,
        f"this suppression names {'an unknown rule' if len(named) == 1 else 'unknown rules'}: {', '.join(named)}",
        data={"rules": list(suppression.rules or ()), "unknown": unknown},
    )


def _can_judge(suppression: Suppression, selected: Sequence[str]) -> bool:
    """A suppression of a rule that did not run may be in use: judge only what ran."""
    names = (
        [name for name, rule in RULES.items() if rule.default_enabled]
        if suppression.rules is None
        else suppression.rules
    )
    return all(name in selected for name in names)


def _unused_suppression(project: Project, file: SourceFile, suppression: Suppression) -> Finding:
    names = ", ".join(suppression.rules) if suppression.rules else "any rule"
    edit = _suppression_removal(project, file.path, suppression)
    return Finding(
        "unused-suppression",
        str(file.path),
        suppression.line,
        suppression.column,
        suppression.line,
        suppression.column,
        f"this suppression ({names}) suppresses nothing",
        fix=Fix(Applicability.SAFE, (edit,)) if edit else None,
        data={"rules": list(suppression.rules or ())},
    )


def _suppression_removal(project: Project, path: Path, suppression: Suppression) -> Optional[Edit]:
    try:
        source = SourceText.decode(project.read(path))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return None
    lines = source.text.splitlines()
    if suppression.line > len(lines):
        return None
    line = lines[suppression.line - 1]
    comment_start = suppression.column - 1
    if line[comment_start:].lstrip().startswith("#"):
        code_end = len(line[:comment_start].rstrip())
        if line.lstrip().startswith("#"):
            return None  # a comment alone on its line: leave the line to the author
        return Edit(str(path), suppression.line, code_end + 1, suppression.line, len(line) + 1, "")
    return None
