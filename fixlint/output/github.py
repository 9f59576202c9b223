"""GitHub Actions workflow commands, escaped as the runner's toolkit escapes them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fixlint.files.display import display_path
from fixlint.findings import Finding


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: Sequence[Finding], cwd: Path) -> str:
    lines = []
    for f in findings:
        level = "warning" if f.severity == "warning" else "error"
        properties = ",".join(
            f"{key}={escape_property(str(value))}"
            for key, value in (
                ("title", f"fixlint ({f.rule})"),
                ("file", display_path(f.path, cwd)),
                ("line", f.line),
                ("col", f.column),
                ("endLine", f.end_line),
                ("endColumn", f.end_column),
            )
        )
        lines.append(f"::{level} {properties}::{escape_data(f'{f.rule} {f.message}')}")
    return "\n".join(lines)
