"""`fixlint fix` writes a fix only when its result parses and re-analysis no longer reports the
finding it was for; otherwise the file stays as it was and the finding says why.

Both cases below are genuine fixlint bugs, kept as they are found in the wild:
- `loop_scope=None` reads as "no loop_scope", so the loop-scope fix adds a second `loop_scope=`
  argument, which fixlint's re-analysis does not read (and Python would refuse);
- a form feed on a line of its own (an Emacs page break) makes the unused-suppression fix compute
  its edit from the wrong line, so its result does not parse.
When either is fixed, replace its tree here with another fix that fails the same way.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

STILL_REPORTED = "fix not applied: re-analysis still reports this finding after the fix"
DOES_NOT_PARSE = "fix not applied: the fixed code would not parse"

LOOP_INI = "[pytest]\nasyncio_default_fixture_loop_scope = function\n"

# `client` gets a fix that does not remove its finding; `app` gets one that works.
CONFTEST = """\
import pytest
import pytest_asyncio


@pytest_asyncio.fixture(scope="module", loop_scope=None)
async def client():
    return 1


@pytest.fixture(scope="session")
def app(db):
    return db


@pytest.fixture
def db():
    return 1
"""

CONFTEST_FIXED = CONFTEST.replace('@pytest.fixture(scope="session")', '@pytest.fixture(scope="function")')

TEST_MODULE = """\
import pytest


@pytest.mark.asyncio
async def test_client(client):
    assert client == 1


def test_app(app):
    assert app == 1
"""

# The first suppression's fix works; the second's, below the page break, does not parse.
FORM_FEED_MODULE = (
    "import pytest  # fixlint: ignore[fixture-duplicate]\n"
    "\x0c\n"
    "x = 1  # a\n"
    "y = 2  # fixlint: ignore[fixture-duplicate]\n"
)
SUPPRESSION_RULES = ("--rule", "unused-suppression", "--rule", "fixture-duplicate")


def make_tree(root: Path, files: dict[str, str], ini: str = "[pytest]\n") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pytest.ini").write_text(ini)
    for relative, source in files.items():
        (root / relative).write_text(source, newline="")
    return root


@pytest.fixture
def loop_tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path, {"conftest.py": CONFTEST, "test_app.py": TEST_MODULE}, LOOP_INI)


@pytest.fixture
def form_feed_tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path, {"test_page.py": FORM_FEED_MODULE})


def test_a_fix_whose_finding_remains_is_not_written_and_the_finding_says_so(loop_tree: Path, run_fixlint) -> None:
    result = run_fixlint(loop_tree, "fix", "--format", "concise", ".")
    # The working fix of `app`, in the same file, is written; `client` is left as it was.
    assert (loop_tree / "conftest.py").read_text() == CONFTEST_FIXED
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "conftest.py:5:1: fixture-loop-scope `client` (module scope) runs in a function-scoped event loop "
        f"(asyncio_default_fixture_loop_scope): ScopeMismatch in test_app.py::test_client; {STILL_REPORTED}",
        "Found 2 errors (1 fixed, 1 remaining).",
    ]
    assert result.stderr == f"fixlint: warning: conftest.py:5: fixture-loop-scope: {STILL_REPORTED}\n"


def test_a_second_fix_changes_nothing_and_says_the_same(loop_tree: Path, run_fixlint) -> None:
    first = run_fixlint(loop_tree, "fix", "--format", "concise", ".")
    second = run_fixlint(loop_tree, "fix", "--format", "concise", ".")
    assert (loop_tree / "conftest.py").read_text() == CONFTEST_FIXED
    assert second.stdout.splitlines()[0] == first.stdout.splitlines()[0]
    assert second.stdout.splitlines()[1] == "Found 1 error."


def test_diff_shows_only_the_fix_that_works(loop_tree: Path, run_fixlint) -> None:
    result = run_fixlint(loop_tree, "fix", "--diff", ".")
    assert result.exit_code == 1
    assert '+@pytest.fixture(scope="function")' in result.stdout
    assert "loop_scope" not in result.stdout
    assert result.stderr.splitlines() == [
        f"fixlint: warning: conftest.py:5: fixture-loop-scope: {STILL_REPORTED}",
        "Would fix 1 finding in 1 file.",
    ]
    assert (loop_tree / "conftest.py").read_text() == CONFTEST


def test_json_and_sarif_carry_the_refusal(tmp_path: Path, run_fixlint) -> None:
    files = {"conftest.py": CONFTEST, "test_app.py": TEST_MODULE}
    json_tree, sarif_tree = (make_tree(tmp_path / name, files, LOOP_INI) for name in ("json", "sarif"))
    records = json.loads(run_fixlint(json_tree, "fix", "--format", "json", ".").stdout)
    assert [(r["rule"], r["line"], r["fix"], r["data"]["fix_not_applied"]) for r in records] == [
        ("fixture-loop-scope", 5, None, "re-analysis still reports this finding after the fix")
    ]
    assert records[0]["message"].endswith(f"; {STILL_REPORTED}")
    sarif = json.loads(run_fixlint(sarif_tree, "fix", "--format", "sarif", ".").stdout)
    (finding,) = sarif["runs"][0]["results"]
    assert finding["message"]["text"].endswith(f"; {STILL_REPORTED}")
    assert finding["properties"] == {"fixNotApplied": "re-analysis still reports this finding after the fix"}
    assert "fixes" not in finding


def test_a_fix_whose_result_does_not_parse_is_not_written_and_the_finding_says_so(
    form_feed_tree: Path, run_fixlint
) -> None:
    result = run_fixlint(form_feed_tree, "fix", *SUPPRESSION_RULES, "--format", "json", ".")
    # The other fix of the same file is written: the file keeps none of the refused one.
    assert (form_feed_tree / "test_page.py").read_bytes() == FORM_FEED_MODULE.replace(
        "  # fixlint: ignore[fixture-duplicate]\n\x0c", "\n\x0c", 1
    ).encode()
    assert result.exit_code == 1
    (record,) = json.loads(result.stdout)
    assert (record["rule"], record["line"], record["column"], record["fix"]) == ("unused-suppression", 4, 8, None)
    assert record["message"] == f"this suppression (fixture-duplicate) suppresses nothing; {DOES_NOT_PARSE}"
    assert record["data"]["fix_not_applied"] == "the fixed code would not parse"
    assert result.stderr.startswith(
        f"fixlint: warning: test_page.py:4: unused-suppression: {DOES_NOT_PARSE} (parser error:"
    )


def test_a_refused_fix_is_not_offered_in_text(form_feed_tree: Path, run_fixlint) -> None:
    result = run_fixlint(form_feed_tree, "fix", *SUPPRESSION_RULES, "--format", "concise", ".")
    assert result.stdout.splitlines() == [
        "test_page.py:4:8: unused-suppression this suppression (fixture-duplicate) suppresses nothing; "
        f"{DOES_NOT_PARSE}",
        "Found 2 errors (1 fixed, 1 remaining).",
    ]
    again = run_fixlint(form_feed_tree, "fix", *SUPPRESSION_RULES, "--format", "concise", ".")
    assert again.stdout.splitlines() == [result.stdout.splitlines()[0], "Found 1 error."]


# `services` can be narrowed, but the cascade meets `app`, whose scope a parametrization sets.
PLANNED_CONFTEST = """\
import pytest


@pytest.fixture(scope="session", autouse=True)
def services():
    yield


@pytest.fixture(autouse=True)
def clean():
    yield


@pytest.fixture(scope="session")
def app(request, services):
    return request.param
"""

PLANNED_TEST = """\
import pytest


@pytest.mark.parametrize("app", [1], indirect=True, scope="session")
def test_app(app):
    assert app == 1
"""
PARAMETRIZED = "the scope pytest uses here comes from a parametrization"


def test_a_fix_planned_when_asked_for_says_why_it_declines(tmp_path: Path, run_fixlint) -> None:
    """`check` offers the cascade's unsafe fix without planning it (the plan re-analyses the tests
    of every fixture it changes); `fix` plans it, and the plan declines: nothing is written, and
    the finding says why, as for any fix not applied. An output that shows edits plans it too."""
    tree = make_tree(tmp_path, {"conftest.py": PLANNED_CONFTEST, "test_app.py": PLANNED_TEST})
    rule = ("--rule", "fixture-autouse-mixed")
    checked = run_fixlint(tree, "check", *rule, "--unsafe-fixes", "--format", "concise", ".")
    assert checked.stdout.splitlines()[0].startswith("conftest.py:4:1: fixture-autouse-mixed [*] autouse fixtures")
    fixed = run_fixlint(tree, "fix", *rule, "--unsafe-fixes", "--format", "json", ".")
    assert (tree / "conftest.py").read_text() == PLANNED_CONFTEST
    (record,) = json.loads(fixed.stdout)
    assert record["fix"] is None and record["data"]["fix_not_applied"].startswith(PARAMETRIZED)
    assert record["message"].endswith(f"; fix not applied: {record['data']['fix_not_applied']}")
    assert fixed.stderr.startswith(
        f"fixlint: warning: conftest.py:4: fixture-autouse-mixed: fix not applied: {PARAMETRIZED}"
    )
    (shown,) = json.loads(run_fixlint(tree, "check", *rule, "--format", "json", ".").stdout)
    assert shown["fix"] is None and f"; no fix: {PARAMETRIZED}" in shown["message"]
