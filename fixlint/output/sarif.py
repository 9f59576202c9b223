"""SARIF 2.1.0, as code scanning services read it: relative URIs, rule metadata, fixes."""

from __future__ import annotations

import inspect
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fixlint import __version__
from fixlint.files.display import display_path
from fixlint.findings import Finding
from fixlint.rules.base import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _artifact(path: str, cwd: Path) -> dict[str, str]:
    """Relative to the source root where possible; a file outside it gets an absolute file URI."""
    shown = display_path(path, cwd)
    if shown.startswith("../") or Path(shown).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(shown), "uriBaseId": "%SRCROOT%"}


def _region(line: int, column: int, end_line: int, end_column: int) -> dict[str, int]:
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _rule_descriptor(rule: type[Rule]) -> dict[str, Any]:
    doc = inspect.cleandoc(rule.__doc__ or "")
    first_paragraph = doc.split("\n\n")[1] if doc.startswith("## ") and "\n\n" in doc else doc.split("\n\n")[0]
    return {
        "id": rule.name,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": first_paragraph.replace("\n", " ")},
        "help": {"text": doc},
        "properties": {"family": rule.family, "fix": rule.fix.value if rule.fix else "none"},
    }


def _fixes(finding: Finding, cwd: Path) -> list[dict[str, Any]]:
    if finding.fix is None:
        return []
    by_file: dict[str, list[dict[str, Any]]] = {}
    for edit in finding.fix.edits:
        by_file.setdefault(edit.path, []).append(
            {
                "deletedRegion": _region(edit.line, edit.column, edit.end_line, edit.end_column),
                "insertedContent": {"text": edit.content},
            }
        )
    return [
        {
            "description": {"text": f"{finding.fix.applicability.value} fix for {finding.rule}"},
            "artifactChanges": [
                {"artifactLocation": _artifact(path, cwd), "replacements": replacements}
                for path, replacements in by_file.items()
            ],
        }
    ]


def render_sarif(findings: Sequence[Finding], cwd: Path, rules: Mapping[str, type[Rule]]) -> str:
    names = sorted(rules)
    results = []
    for finding in findings:
        result: dict[str, Any] = {
            "ruleId": finding.rule,
            "level": "warning" if finding.severity == "warning" else "error",
            "message": {"text": finding.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _artifact(finding.path, cwd),
                        "region": _region(finding.line, finding.column, finding.end_line, finding.end_column),
                    }
                }
            ],
        }
        if finding.rule in rules:
            result["ruleIndex"] = names.index(finding.rule)
        if "fix_not_applied" in finding.data:
            result["properties"] = {"fixNotApplied": finding.data["fix_not_applied"]}
        fixes = _fixes(finding, cwd)
        if fixes:
            result["fixes"] = fixes
        results.append(result)
    run = {
        "tool": {
            "driver": {
                "name": "fixlint",
                "version": __version__,
                "informationUri": "https://pypi.org/project/fixlint/",
                "rules": [_rule_descriptor(rules[name]) for name in names],
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": cwd.as_uri().rstrip("/") + "/"}},
        "results": results,
    }
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2)
