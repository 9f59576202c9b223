"""``fixlint suppress`` (ruff's ``--add-noqa``): a ``# fixlint: ignore[rule]`` comment for every
current finding, on the line where ``suppressions.py`` reads it, merged into a suppression the
line already holds; the files written as fixes are, with their encoding and line endings."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from fixlint.engine.check import Engine
from fixlint.engine.fix_loop import write_changes
from fixlint.engine.suppressions import CommentPlaces, comment_places
from fixlint.facts.reader import SUPPRESSION_RE
from fixlint.files.display import display_path
from fixlint.files.source_text import LINE_RE, SourceText
from fixlint.findings import Edit, Finding

SUFFIXES = (".py", ".pyi")


@dataclass
class Added:
    names: int = 0  # rule names written into comments
    changes: dict[Path, tuple[bytes, bytes]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def suppress(engine: Engine, paths: Sequence[Path], reason: str) -> Added:
    """Suppress every finding of the run in ``paths``. A finding is left as it is, with a note,
    where a comment would not suppress it: an unused suppression (``fixlint fix`` removes it), a
    finding in a file that is not Python or does not parse (its comments are not read)."""
    result = engine.check(paths, with_edits=False)
    added = Added(notes=list(result.notes))
    by_file: dict[str, list[Finding]] = {}
    unused = 0
    for finding in result.findings:
        if finding.rule == "unused-suppression":
            unused += 1
        else:
            by_file.setdefault(finding.path, []).append(finding)
    if unused:
        added.notes.append(f"{unused} unused suppression{'s' if unused != 1 else ''} left: `fixlint fix` removes them")
    for name, findings in by_file.items():
        path = Path(name)
        shown = display_path(name, engine.cwd)
        if path.suffix not in SUFFIXES:
            added.notes.append(f"{shown}: not a Python file: {len(findings)} finding(s) left")
            continue
        try:
            before = path.read_bytes()
            source = SourceText.decode(before)
            ast.parse(source.text)
        except (OSError, SyntaxError, UnicodeDecodeError, ValueError) as error:
            added.notes.append(f"{shown}: not suppressed, its comments are not read ({error})")
            continue
        places = comment_places(source.text)
        if places is None:
            added.notes.append(f"{shown}: not suppressed, it does not tokenize")
            continue
        edits, names = _edits(name, source.text, places, findings, reason)
        after = source.apply(edits)
        try:
            ast.parse(after.text)
        except SyntaxError as error:  # a comment can break no code; if it did, the file stays as it was
            added.notes.append(f"{shown}: not suppressed, the comments would break it ({error})")
            continue
        if after.text != source.text:
            added.changes[path] = (before, after.encode())
            added.names += names
    added.notes += write_changes(added.changes, engine.cwd)
    return added


def _edits(path: str, text: str, places: CommentPlaces, findings: list[Finding], reason: str) -> tuple[list[Edit], int]:
    wanted: dict[int, list[str]] = {}
    for finding in findings:
        line = places.line_for(finding.line)
        if line is not None and finding.rule not in wanted.setdefault(line, []):
            wanted[line].append(finding.rule)
    lines = [line.rstrip("\r\n") for line in LINE_RE.findall(text)]
    edits = []
    names = 0
    for number, rules in sorted(wanted.items()):
        edit, count = _comment_edit(path, number, lines[number - 1], places.comments.get(number), sorted(rules), reason)
        if edit is not None:
            edits.append(edit)
            names += count
    return edits, names


def _comment_edit(
    path: str, number: int, line: str, comment: Optional[tuple[int, str]], rules: list[str], reason: str
) -> tuple[Optional[Edit], int]:
    """The edit that makes the comment of line ``number`` suppress ``rules``, and how many names
    it adds: into the list of a suppression already there, else a comment after the code."""
    if comment is not None:
        column, text = comment
        match = SUPPRESSION_RE.search(text)
        if match is not None:
            if match.group(1) is None:  # a bare ``# fixlint: ignore`` suppresses every rule already
                return None, 0
            names = [name.strip() for name in match.group(1).split(",") if name.strip()]
            missing = [rule for rule in rules if rule not in names]
            start, end = column + match.start(1), column + match.end(1)
            return Edit(path, number, start + 1, number, end + 1, ", ".join(names + missing)), len(missing)
    code_end = len(line.rstrip())
    written = f"  # fixlint: ignore[{', '.join(rules)}]" + (f" -- {reason}" if reason else "")
    return Edit(path, number, code_end + 1, number, len(line) + 1, written), len(rules)
