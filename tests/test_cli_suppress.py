"""`fixlint suppress` (ruff's --add-noqa) on real trees: the comments it writes, where it writes
them, and that the findings are gone after, as `check` reads the comments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli import make_tree

DB = "\n\n@pytest.fixture\ndef db():\n    return 1\n"
TEST = "def test_app(app):\n    assert app\n"


def tree(root: Path, conftest: str) -> Path:
    return make_tree(root, {"tests/conftest.py": conftest, "tests/test_app.py": TEST})


def check_findings(run_fixlint, root: Path, *args: str) -> list[tuple[str, int, str]]:
    result = run_fixlint(root, "check", "--format", "json", "--exit-zero", *args)
    assert result.exit_code == 0, result.output
    return [(f["path"], f["line"], f["rule"]) for f in json.loads(result.stdout)]


def test_every_finding_gets_its_comment_and_is_gone_after(tmp_path: Path, run_fixlint) -> None:
    conftest = 'import pytest\n\n\n@pytest.fixture(scope="session")\ndef app(db):\n    return db\n' + DB
    tree(tmp_path, conftest)
    assert check_findings(run_fixlint, tmp_path) == [("tests/conftest.py", 4, "fixture-scope-mismatch")]
    result = run_fixlint(tmp_path, "suppress", "--reason", "adopted in 2026, see #12")
    assert result.exit_code == 0 and "Added 1 suppression in 1 file." in result.stderr
    assert (tmp_path / "tests/conftest.py").read_text() == conftest.replace(
        '@pytest.fixture(scope="session")\n',
        '@pytest.fixture(scope="session")  # fixlint: ignore[fixture-scope-mismatch] -- adopted in 2026, see #12\n',
    )
    assert check_findings(run_fixlint, tmp_path) == []
    # Idempotent: a second run finds nothing to suppress and changes no byte.
    written = (tmp_path / "tests/conftest.py").read_bytes()
    again = run_fixlint(tmp_path, "suppress")
    assert again.exit_code == 0 and "Added 0 suppressions in 0 files." in again.stderr
    assert (tmp_path / "tests/conftest.py").read_bytes() == written


def test_merged_into_the_lines_suppression_and_after_other_comments(tmp_path: Path, run_fixlint) -> None:
    conftest = (
        "import pytest\n\n\n"
        '@pytest.fixture(scope="session")  # fixlint: ignore[fixture-duplicate] -- kept on purpose\n'
        "def app(db):\n    return db\n\n\n"
        '@pytest.fixture(scope="session")  # noqa: E501 \n'
        "def other(db):\n    return db\n" + DB
    )
    make_tree(tmp_path, {"tests/conftest.py": conftest, "tests/test_app.py": "def test_app(app, other):\n    pass\n"})
    # The duplicate suppression suppresses nothing yet: leave unused-suppression out of this run.
    run_fixlint(tmp_path, "suppress", "--ignore", "unused-suppression")
    lines = (tmp_path / "tests/conftest.py").read_text().splitlines()
    assert lines[3] == (
        '@pytest.fixture(scope="session")  '
        "# fixlint: ignore[fixture-duplicate, fixture-scope-mismatch] -- kept on purpose"
    )
    assert lines[8] == '@pytest.fixture(scope="session")  # noqa: E501  # fixlint: ignore[fixture-scope-mismatch]'
    assert check_findings(run_fixlint, tmp_path, "--ignore", "unused-suppression") == []


@pytest.mark.parametrize(
    ("decorator", "comment_line"),
    [
        # A multi-line string: the comment goes after its end, where the statement lets one stand.
        ('@pytest.fixture(params=["""a\nb"""], scope="session")', 2),
        # A backslash: a comment after it would be a syntax error.
        ('@pytest.fixture(scope=\\\n    "session")', 2),
        # Inside brackets a comment may end any line: it goes on the finding's own line.
        ('@pytest.fixture(\n    scope="session",\n)', 1),
    ],
)
def test_a_finding_in_a_multi_line_statement(tmp_path: Path, run_fixlint, decorator: str, comment_line: int) -> None:
    conftest = f"import pytest\n\n\n{decorator}\ndef app(db):\n    return db\n" + DB
    tree(tmp_path, conftest)
    assert check_findings(run_fixlint, tmp_path) == [("tests/conftest.py", 4, "fixture-scope-mismatch")]
    assert run_fixlint(tmp_path, "suppress").exit_code == 0
    written = (tmp_path / "tests/conftest.py").read_text().splitlines()
    decorator_lines = decorator.splitlines()
    line = decorator_lines[comment_line - 1]
    assert written[3 + comment_line - 1] == f"{line}  # fixlint: ignore[fixture-scope-mismatch]"
    assert [w for i, w in enumerate(written) if i != 3 + comment_line - 1] == [
        c for i, c in enumerate(conftest.splitlines()) if i != 3 + comment_line - 1
    ]
    assert check_findings(run_fixlint, tmp_path) == []  # check reads the comment where suppress wrote it
    compile((tmp_path / "tests/conftest.py").read_text(), "conftest.py", "exec")


def test_encoding_and_line_endings_are_kept(tmp_path: Path, run_fixlint) -> None:
    conftest = (
        "# -*- coding: latin-1 -*-\r\nimport pytest\r\n\r\n# caf\xe9\r\n"
        '@pytest.fixture(scope="session")\r\ndef app(db):\r\n    return db\r\n' + DB.replace("\n", "\r\n")
    )
    make_tree(tmp_path, {"tests/test_app.py": TEST})
    (tmp_path / "tests/conftest.py").write_bytes(conftest.encode("latin-1"))
    assert run_fixlint(tmp_path, "suppress").exit_code == 0
    after = (tmp_path / "tests/conftest.py").read_bytes()
    added = b"  # fixlint: ignore[fixture-scope-mismatch]"
    assert after.replace(added, b"", 1) == conftest.encode("latin-1")
    assert after.count(added) == 1 and b'"session")' + added + b"\r\n" in after
    assert check_findings(run_fixlint, tmp_path) == []


def test_rule_selection_and_what_a_comment_cannot_suppress(tmp_path: Path, run_fixlint) -> None:
    conftest = (
        "import pytest\n\n\n"
        '@pytest.fixture(scope="session")\ndef app(db):\n    return db\n\n\n'
        "@pytest.fixture\ndef dup():\n    return 1\n\n\n@pytest.fixture\ndef dup():\n    return 2\n\n\n"
        "x = 1  # fixlint: ignore[fixture-cycle]\n" + DB
    )
    make_tree(
        tmp_path,
        {"tests/conftest.py": conftest, "tests/test_app.py": TEST, "tests/test_broken.py": "def test_x(:\n    pass\n"},
    )
    run_fixlint(tmp_path, "suppress", "--rule", "fixture-duplicate")
    assert check_findings(run_fixlint, tmp_path) == [
        ("tests/conftest.py", 4, "fixture-scope-mismatch"),
        ("tests/conftest.py", 19, "unused-suppression"),
        ("tests/test_broken.py", 1, "syntax-error"),
    ]
    result = run_fixlint(tmp_path, "suppress")
    assert result.exit_code == 0
    assert "1 unused suppression left: `fixlint fix` removes them" in result.stderr
    assert "tests/test_broken.py: not suppressed, its comments are not read" in result.stderr
    assert (tmp_path / "tests/test_broken.py").read_text() == "def test_x(:\n    pass\n"
    assert check_findings(run_fixlint, tmp_path) == [
        ("tests/conftest.py", 19, "unused-suppression"),
        ("tests/test_broken.py", 1, "syntax-error"),
    ]


def test_a_reason_of_two_lines_is_refused(tmp_path: Path, run_fixlint) -> None:
    tree(tmp_path, 'import pytest\n\n\n@pytest.fixture(scope="session")\ndef app(db):\n    return db\n' + DB)
    result = run_fixlint(tmp_path, "suppress", "--reason", "one\nx = 1")
    assert result.exit_code == 2 and "--reason must be one line" in result.stderr
