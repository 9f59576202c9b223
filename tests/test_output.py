"""Output formats on findings built directly: exact text, escaping and structure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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


def test_concise_lines_and_summaries() -> None:
    assert render([], "concise", cwd=CWD, rules=RULES) == "All checks passed!"
    text = render([finding(fix=SAFE), finding(fix=UNSAFE)], "concise", cwd=CWD, rules=RULES)
    assert text.splitlines() == [
        "tests/conftest.py:4:1: fixture-scope-mismatch [*] `app` requests `db`",
        "tests/conftest.py:4:1: fixture-scope-mismatch `app` requests `db`",
        "Found 2 errors.",
        "[*] 1 fixable with `fixlint fix` (1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]
    only_unsafe = render([finding(fix=UNSAFE)], "concise", cwd=CWD, rules=RULES).splitlines()
    assert only_unsafe[-1] == "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option)."
    shown = render([finding(fix=UNSAFE)], "concise", cwd=CWD, rules=RULES, unsafe_fixes=True).splitlines()
    assert "[*]" in shown[0] and shown[-1] == "[*] 1 fixable with `fixlint fix`."
    after_fix = render([finding()], "concise", cwd=CWD, rules=RULES, fixed_count=2).splitlines()
    assert after_fix[-1] == "Found 3 errors (2 fixed, 1 remaining)."
    # Warnings are counted apart from errors.
    mixed = [finding(), finding(severity="warning"), finding(severity="warning")]
    assert render(mixed, "text", cwd=CWD, rules=RULES).splitlines()[-1] == "Found 1 error and 2 warnings."
    assert render(mixed[1:2], "concise", cwd=CWD, rules=RULES).splitlines()[-1] == "Found 1 warning."


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


# The frame of the default text format: (file bytes, span) -> what it prints, after ruff's `full`.
FRAMES = {
    "multi_line_span": (
        b"import pytest\n\n\n@pytest.fixture(\n    scope='session',\n)\ndef app():\n    pass\n",
        (4, 1, 6, 2),
        """\
  |
4 | @pytest.fixture(
  | ^^^^^^^^^^^^^^^^
5 |     scope='session',
  |     ^^^^^^^^^^^^^^^^
6 | )
  | ^
7 | def app():
8 |     pass
  |""",
    ),
    # Column 10 is the second space after `return`: two tabs are eight cells.
    "tabs": (
        b"def f():\n\tif x:\n\t\treturn  1\n",
        (3, 10, 3, 11),
        """\
  |
1 | def f():
2 |     if x:
3 |         return  1
  |                ^
  |""",
    ),
    "crlf": (
        b"a = 1\r\nb = (\r\nc = 3\r\n",
        (2, 5, 2, 6),
        """\
  |
1 | a = 1
2 | b = (
  |     ^
3 | c = 3
  |""",
    ),
    # Columns count characters; the caret counts cells (each of the three ideographs takes two).
    "non_ascii": (
        "s = '日本語'; t = é\n".encode(),
        (1, 12, 1, 17),
        """\
  |
1 | s = '日本語'; t = é
  |               ^^^^^
  |""",
    ),
    "line_1_column_1_empty_span": (
        b"x = 1\ny = 2\n",
        (1, 1, 1, 1),
        """\
  |
1 | x = 1
  | ^
2 | y = 2
  |""",
    ),
    # After the last line break: the empty last line (where CPython puts "expected an indented block").
    "end_of_file": (
        b"x = 1\nif x:\n",
        (3, 1, 3, 1),
        """\
  |
1 | x = 1
2 | if x:
3 |
  | ^
  |""",
    ),
    "long_span_shows_its_ends": (
        b"".join(b"x%d = 1\n" % i for i in range(20)),
        (2, 1, 15, 7),
        """\
   |
 1 | x0 = 1
 2 | x1 = 1
   | ^^^^^^
 3 | x2 = 1
   | ^^^^^^
 4 | x3 = 1
   | ^^^^^^
 5 | x4 = 1
   | ^^^^^^
.. | ...
14 | x13 = 1
   | ^^^^^^^
15 | x14 = 1
   | ^^^^^^
16 | x15 = 1
17 | x16 = 1
   |""",
    ),
}


@pytest.mark.parametrize("shape", sorted(FRAMES))
def test_code_frame(shape: str, tmp_path: Path) -> None:
    data, span, frame = FRAMES[shape]
    (tmp_path / "m.py").write_bytes(data)
    found = Finding("syntax-error", str(tmp_path / "m.py"), *span, "the message")
    text = render([found], "text", cwd=tmp_path, rules=RULES)
    location = f" --> m.py:{span[0]}:{span[1]}"
    assert text == f"syntax-error the message\n{location}\n{frame}\n\nFound 1 error."


def test_long_messages_wrap_by_clause_and_width(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("x = 1\n")
    message = "`app` (session scope) requests `db` (function scope): ScopeMismatch in m.py::test_one; fix: narrow `app`"
    found = Finding("fixture-scope-mismatch", str(tmp_path / "m.py"), 1, 1, 1, 2, message)
    head = render([found], "text", cwd=tmp_path, rules=RULES, width=60).splitlines()[:4]
    assert head == [
        "fixture-scope-mismatch `app` (session scope) requests `db`",
        "  (function scope): ScopeMismatch in m.py::test_one",
        "  fix: narrow `app`",
        " --> m.py:1:1",
    ]
