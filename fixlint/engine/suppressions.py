"""``# fixlint: ignore`` and ``# fixlint: ignore[rule, ...]`` comments: the findings they
suppress, and the comments that suppress nothing (``unused-suppression``, with a safe fix that
removes them) or name a rule that does not exist (reported with the nearest name, no fix).

A comment counts on the line of its finding; where that line ends inside a string or after a
backslash (no comment can stand there), on the next line where the statement lets one stand, as
ruff reads ``noqa`` after a multi-line string. ``fixlint suppress`` writes them there."""

from __future__ import annotations

import bisect
import difflib
import io
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass
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
    last_line: dict[str, int] = {}
    for file in project.files.values():
        for suppression in file.facts.suppressions:
            by_line.setdefault((str(file.path), suppression.line), []).append(suppression)
            last_line[str(file.path)] = max(last_line.get(str(file.path), 0), suppression.line)
    places: dict[str, Optional[CommentPlaces]] = {}

    def suppressing(finding: Finding, lines: set[int]) -> list[Suppression]:
        return [
            s
            for line in lines
            for s in by_line.get((finding.path, line), [])
            if s.rules is None or finding.rule in s.rules
        ]

    for finding in findings:
        lines = {finding.line, *finding.suppressible_at}
        matched = suppressing(finding, lines)
        if not matched and last_line.get(finding.path, 0) > finding.line:
            # A comment further down may stand for a line that cannot hold one.
            if finding.path not in places:
                places[finding.path] = _places_of(project, Path(finding.path))
            found = places[finding.path]
            if found is not None:
                matched = suppressing(finding, {found.line_for(line) or line for line in lines})
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


@dataclass(frozen=True)
class CommentPlaces:
    """Where a module lets a comment stand: the lines that end outside a string and not after a
    backslash (a comment there cannot change the code), and the comment each line holds."""

    open_lines: tuple[int, ...]  # ascending
    comments: dict[int, tuple[int, str]]  # line -> (0-based column, text)

    def line_for(self, line: int) -> Optional[int]:
        """The line whose comment counts for a finding on ``line``: that line, or the next one
        that lets a comment stand (None past the last)."""
        index = bisect.bisect_left(self.open_lines, line)
        return self.open_lines[index] if index < len(self.open_lines) else None


def comment_places(text: str) -> Optional[CommentPlaces]:
    """None when the text does not tokenize."""
    open_lines: list[int] = []
    comments: dict[int, tuple[int, str]] = {}
    in_fstring = 0  # Python 3.12 tokenizes an f-string's parts: its braces may span lines
    starts = {getattr(tokenize, name) for name in ("FSTRING_START", "TSTRING_START") if hasattr(tokenize, name)}
    ends = {getattr(tokenize, name) for name in ("FSTRING_END", "TSTRING_END") if hasattr(tokenize, name)}
    try:
        # Universal newlines: a lone CR ends a line for tokenize as it does for ``ast``.
        for token in tokenize.generate_tokens(io.StringIO(text, newline=None).readline):
            if token.type in starts:
                in_fstring += 1
            elif token.type in ends:
                in_fstring -= 1
            elif token.type in (tokenize.NL, tokenize.NEWLINE) and not in_fstring:
                open_lines.append(token.start[0])
            elif token.type == tokenize.COMMENT:
                comments[token.start[0]] = (token.start[1], token.string)
    except (tokenize.TokenError, SyntaxError):
        return None
    return CommentPlaces(tuple(sorted(set(open_lines))), comments)


def _places_of(project: Project, path: Path) -> Optional[CommentPlaces]:
    try:
        return comment_places(SourceText.decode(project.read(path)).text)
    except (OSError, SyntaxError, UnicodeDecodeError):
        return None


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
