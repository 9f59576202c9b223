"""Output formats on findings built directly: exact text, escaping and structure."""

from __future__ import annotations

import json
from pathlib import Path

from fixlint.findings import Applicability, Edit, Finding, Fix
from fixlint.output import render
from fixlint.rules.registry import RULES

CWD = Path("/work/project")


def finding(
    path: str = "/work/project/tests/conftest.py", message: str = "`app` requests `db`", fix=None, severity="error"
) -> Finding:
    return Finding(
        "fixture-scope-mismatch", path, 4, 1, 4, 30, message, severity=severity, fix=fix, data={"requester": "app"}
    )


SAFE = Fix(Applicability.SAFE, (Edit("/work/project/tests/conftest.py", 4, 23, 4, 32, '"function"'),))
UNSAFE = Fix(Applicability.UNSAFE, (Edit("/work/project/tests/conftest.py", 4, 23, 4, 32, '"function"'),))


def test_text_lines_and_summaries() -> None:
    assert render([], "text", cwd=CWD, rules=RULES) == "All checks passed!"
    text = render([finding(fix=SAFE), finding(fix=UNSAFE)], "text", cwd=CWD, rules=RULES)
    assert text.splitlines() == [
        "tests/conftest.py:4:1: fixture-scope-mismatch [*] `app` requests `db`",
        "tests/conftest.py:4:1: fixture-scope-mismatch `app` requests `db`",
        "Found 2 errors.",
        "[*] 1 fixable with `fixlint fix` (1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]
    only_unsafe = render([finding(fix=UNSAFE)], "text", cwd=CWD, rules=RULES).splitlines()
    assert only_unsafe[-1] == "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option)."
    shown = render([finding(fix=UNSAFE)], "text", cwd=CWD, rules=RULES, unsafe_fixes=True).splitlines()
    assert "[*]" in shown[0] and shown[-1] == "[*] 1 fixable with `fixlint fix`."
    after_fix = render([finding()], "text", cwd=CWD, rules=RULES, fixed_count=2).splitlines()
    assert after_fix[-1] == "Found 3 errors (2 fixed, 1 remaining)."
    # Warnings are counted apart from errors.
    mixed = [finding(), finding(severity="warning"), finding(severity="warning")]
    assert render(mixed, "text", cwd=CWD, rules=RULES).splitlines()[-1] == "Found 1 error and 2 warnings."
    assert render(mixed[1:2], "text", cwd=CWD, rules=RULES).splitlines()[-1] == "Found 1 warning."


def test_json_record_shape() -> None:
    (record,) = json.loads(render([finding(fix=SAFE)], "json", cwd=CWD, rules=RULES))
    assert list(record) == [
        "rule",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "severity",
        "fix",
        "data",
    ]
    assert record["path"] == "tests/conftest.py"
    assert record["fix"] == {
        "applicability": "safe",
        "edits": [
            {
                "path": "tests/conftest.py",
                "line": 4,
                "column": 23,
                "end_line": 4,
                "end_column": 32,
                "content": '"function"',
            }
        ],
    }
    assert json.loads(render([], "json", cwd=CWD, rules=RULES)) == []


def test_github_escapes_data_and_properties() -> None:
    line = render(
        [finding(path="/work/project/a,b:c.py", message="100% broken\nsecond line", severity="warning")],
        "github",
        cwd=CWD,
        rules=RULES,
    )
    assert line == (
        "::warning title=fixlint (fixture-scope-mismatch),file=a%2Cb%3Ac.py,line=4,col=1,endLine=4,endColumn=30"
        "::fixture-scope-mismatch 100%25 broken%0Asecond line"
    )


def test_sarif_structure() -> None:
    outside = finding(path="/elsewhere/my tests/conftest.py", fix=SAFE)
    sarif = json.loads(render([finding(fix=SAFE), outside], "sarif", cwd=CWD, rules=RULES))
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    run = sarif["runs"][0]
    names = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert names == sorted(RULES)
    first, second = run["results"]
    assert first["ruleIndex"] == names.index("fixture-scope-mismatch")
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "tests/conftest.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 4, "startColumn": 1, "endLine": 4, "endColumn": 30}
    replacement = first["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"]["text"] == '"function"'
    assert second["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "file:///elsewhere/my%20tests/conftest.py"
    }
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///work/project/"
