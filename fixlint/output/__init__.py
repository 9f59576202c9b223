"""Findings to text: one module per format, each a function from findings to a string."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from fixlint.findings import Finding
from fixlint.output.github import render_github
from fixlint.output.gitlab import render_gitlab
from fixlint.output.json_format import render_json, render_json_lines
from fixlint.output.junit import render_junit
from fixlint.output.sarif import render_sarif
from fixlint.output.style import PLAIN, Style
from fixlint.output.text import render_text
from fixlint.rules.base import Rule

FORMATS = ("text", "concise", "json", "json-lines", "junit", "github", "gitlab", "sarif")
FORMATS_WITH_EDITS = ("json", "json-lines", "sarif")  # the others show whether a finding has a fix, not its edits


def render(
    findings: Sequence[Finding],
    fmt: str,
    *,
    cwd: Path,
    rules: Mapping[str, type[Rule]],
    unsafe_fixes: bool = False,
    fixed_count: int = 0,
    fixed: Sequence[Finding] = (),
    style: Style = PLAIN,
    width: int = 100,
    show_fixes: bool = False,
    quiet: bool = False,
) -> str:
    if fmt == "json":
        return render_json(findings, cwd)
    if fmt == "json-lines":
        return render_json_lines(findings, cwd)
    if fmt == "junit":
        return render_junit(findings, cwd)
    if fmt == "github":
        return render_github(findings, cwd)
    if fmt == "gitlab":
        return render_gitlab(findings, cwd)
    if fmt == "sarif":
        return render_sarif(findings, cwd, rules)
    return render_text(
        findings,
        cwd,
        unsafe_fixes,
        fixed_count,
        concise=fmt == "concise",
        style=style,
        width=width,
        show_fixes=show_fixes,
        fixed=fixed,
        summary=not quiet,
    )
