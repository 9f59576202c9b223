"""The formats people read: ``text`` (ruff's ``full``: each finding with its code frame) and
``concise`` (one line a finding), then the summary."""

from __future__ import annotations

import difflib
import functools
import textwrap
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Optional

from fixlint.files.display import display_path
from fixlint.files.source_text import SourceText
from fixlint.findings import Applicability, Finding
from fixlint.output.frame import code_frame, source_lines
from fixlint.output.style import PLAIN, Style


def render_text(
    findings: Sequence[Finding],
    cwd: Path,
    unsafe_fixes: bool,
    fixed_count: int,
    *,
    concise: bool = False,
    style: Style = PLAIN,
    width: int = 100,
    show_fixes: bool = False,
    fixed: Sequence[Finding] = (),
    summary: bool = True,
) -> str:
    blocks = []
    sources: dict[str, Optional[list[str]]] = {}
    for finding in findings:
        marker = style.punctuation("[*]") + " " if offered(finding, unsafe_fixes) else ""
        if concise:
            blocks.append(f"{_location(finding, cwd, style)}: {style.rule(finding.rule)} {marker}{finding.message}")
            continue
        block = _header(finding, marker, width, style)
        block.append(f"{style.gutter(' -->')} {_location(finding, cwd, style)}")
        lines = _lines(finding.path, sources)
        if lines is not None:
            block += code_frame(lines, finding.line, finding.column, finding.end_line, finding.end_column, style)
        if show_fixes and finding.fix is not None and finding.fix.edits_known and finding.fix.edits:
            block += _fix_diff(finding, cwd, style)
        blocks.append("\n".join(block) + "\n")
    if show_fixes and fixed:
        blocks.append(_fixed_list(fixed, cwd, style))
    if not summary:
        return "\n".join(blocks).rstrip("\n")
    return "\n".join([*blocks, *_summary(findings, unsafe_fixes, fixed_count)])


def offered(finding: Finding, unsafe_fixes: bool) -> bool:
    """Whether the run would apply the finding's fix (an unsafe one only with --unsafe-fixes)."""
    applicability = finding.fix.applicability if finding.fix else None
    return applicability is Applicability.SAFE or (applicability is Applicability.UNSAFE and unsafe_fixes)


def _location(finding: Finding, cwd: Path, style: Style) -> str:
    colon = style.punctuation(":")
    return f"{style.bold(display_path(finding.path, cwd))}{colon}{finding.line}{colon}{finding.column}"


def _header(finding: Finding, marker: str, width: int, style: Style) -> list[str]:
    """The rule and the message: each ``; `` clause of the message on a line of its own, and
    every line wrapped at ``width`` (a word longer than a line, a path, is never split)."""
    lead = " " * (len(finding.rule) + 1 + (4 if marker else 0))  # room for the rule and the marker
    first, *rest = finding.message.split("; ")
    wrap = functools.partial(textwrap.wrap, width=width, break_long_words=False, break_on_hyphens=False)
    head, *more = wrap(first, initial_indent=lead, subsequent_indent="  ") or [lead]
    out = [f"{style.rule(finding.rule)} {marker}{style.bold(head[len(lead) :])}", *more]
    for clause in rest:
        out += wrap(clause, initial_indent="  ", subsequent_indent="  ")
    return out


def _lines(path: str, sources: dict[str, Optional[list[str]]]) -> Optional[list[str]]:
    if path not in sources:
        try:
            sources[path] = source_lines(SourceText.decode(Path(path).read_bytes()).text)
        except (OSError, UnicodeDecodeError, SyntaxError, LookupError):  # no frame, the location still shows
            sources[path] = None
    return sources[path]


def _fix_diff(finding: Finding, cwd: Path, style: Style) -> list[str]:
    """What the fix does, as a diff of each file it edits (``--show-fixes``)."""
    assert finding.fix is not None
    out = [style.note(f"help: {finding.fix.applicability.value} fix")]
    for path in sorted({edit.path for edit in finding.fix.edits}):
        try:
            before = SourceText.decode(Path(path).read_bytes())
        except (OSError, UnicodeDecodeError, SyntaxError, LookupError):
            continue
        after = before.apply(edit for edit in finding.fix.edits if edit.path == path)
        name = display_path(path, cwd)
        for line in difflib.unified_diff(
            before.text.splitlines(), after.text.splitlines(), f"a/{name}", f"b/{name}", n=1, lineterm=""
        ):
            out.append(style.added(line) if line.startswith("+") else style.removed(line) if line[:1] == "-" else line)
    return out


def _fixed_list(fixed: Sequence[Finding], cwd: Path, style: Style) -> str:
    """What ``fix`` changed (``--show-fixes``), as ruff lists it: per file, a count per rule."""
    by_file: dict[str, Counter[str]] = {}
    for finding in fixed:
        by_file.setdefault(display_path(finding.path, cwd), Counter())[finding.rule] += 1
    out = [f"Fixed {_counted(len(fixed), 'finding')}:"]
    for path in sorted(by_file):
        out.append(f"- {style.bold(path)}:")
        out += [f"    {count} × {style.rule(rule)}" for rule, count in sorted(by_file[path].items())]
    return "\n".join(out) + "\n"


def _summary(findings: Sequence[Finding], unsafe_fixes: bool, fixed_count: int) -> list[str]:
    count = len(findings)
    if not count and not fixed_count:
        return ["All checks passed!"]
    lines = []
    safe = sum(offered(finding, unsafe_fixes) for finding in findings)
    hidden = sum(
        finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE and not unsafe_fixes
        for finding in findings
    )
    warnings = sum(finding.severity == "warning" for finding in findings)
    errors = _counted(count + fixed_count - warnings, "error") if count + fixed_count - warnings or not warnings else ""
    found = " and ".join(filter(None, [errors, _counted(warnings, "warning") if warnings else ""]))
    if fixed_count:
        lines.append(f"Found {found} ({fixed_count} fixed, {count} remaining).")
    else:
        lines.append(f"Found {found}.")
    hint = f"{hidden} hidden fix{'es' if hidden != 1 else ''} can be enabled with the `--unsafe-fixes` option."
    if safe:
        lines.append(f"[*] {safe} fixable with `fixlint fix`" + (" (" + hint[:-1] + ")." if hidden else "."))
    elif hidden:
        lines.append(f"No fixes available ({hint[:-1]}).")
    return lines


def _counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"
