from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fixlint.files.display import display_path
from fixlint.findings import Finding
from fixlint.output.paths import display_data


def finding_record(finding: Finding, cwd: Path) -> dict[str, Any]:
    fix = None
    if finding.fix is not None:
        fix = {
            "applicability": finding.fix.applicability.value,
            "edits": [
                {
                    "path": display_path(edit.path, cwd),
                    "line": edit.line,
                    "column": edit.column,
                    "end_line": edit.end_line,
                    "end_column": edit.end_column,
                    "content": edit.content,
                }
                for edit in finding.fix.edits
            ],
        }
    return {
        "rule": finding.rule,
        "path": display_path(finding.path, cwd),
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "message": finding.message,
        "severity": finding.severity,
        "fix": fix,
        "data": display_data(finding.data, cwd),
    }


def render_json(findings: Sequence[Finding], cwd: Path) -> str:
    return json.dumps([finding_record(finding, cwd) for finding in findings], indent=2)


def render_json_lines(findings: Sequence[Finding], cwd: Path) -> str:
    """One finding a line (a stream a log collector reads line by line)."""
    return "\n".join(json.dumps(finding_record(finding, cwd)) for finding in findings)
