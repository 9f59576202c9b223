"""Each file is judged by the fixlint settings of the nearest fixlint.toml or pyproject.toml
with [tool.fixlint] above it, as ruff judges; --config KEY=VALUE over them; --show-settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CONFTEST = """\
import pytest


@pytest.fixture(scope="session")
def app(db):
    return db


@pytest.fixture(scope="module")
def db():
    return 1


@pytest.fixture(autouse=True, scope="session")
def setup_all():
    pass


@pytest.fixture(autouse=True)
def reset():
    pass


@pytest.fixture
def dup():
    return 1


@pytest.fixture
def dup():
    return 2
"""
# a: the autouse rule on, and fixes that narrow only as far as needed; b: duplicates ignored.
A_SETTINGS = (
    '[tool.fixlint]\nextend-select = ["fixture-autouse-mixed"]\n\n[tool.fixlint.fixture-scope]\nfix-to = "narrowest"\n'
)
B_SETTINGS = 'ignore = ["fixture-duplicate"]\n'
EXPECTED = [
    ("a/tests/conftest.py", 4, "fixture-scope-mismatch", '"module"'),
    ("a/tests/conftest.py", 14, "fixture-autouse-mixed", '"function"'),
    ("a/tests/conftest.py", 24, "fixture-duplicate", None),
    ("b/tests/conftest.py", 4, "fixture-scope-mismatch", '"function"'),
]


@pytest.fixture
def two_projects(tmp_path: Path) -> Path:
    for name in ("a", "b"):
        (tmp_path / name / "tests").mkdir(parents=True)
        (tmp_path / name / "pytest.ini").write_text("[pytest]\n")
        (tmp_path / name / "tests/conftest.py").write_text(CONFTEST)
        (tmp_path / name / f"tests/test_{name}.py").write_text(f"def test_{name}(app, dup):\n    assert app\n")
    (tmp_path / "a/pyproject.toml").write_text(A_SETTINGS)
    (tmp_path / "b/fixlint.toml").write_text(B_SETTINGS)
    return tmp_path


def findings(run_fixlint, root: Path, *args: str) -> list[tuple]:
    result = run_fixlint(root, "check", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return [
        (f["path"], f["line"], f["rule"], f["fix"]["edits"][0]["content"] if f["fix"] else None)
        for f in json.loads(result.stdout)
    ]


def test_each_project_is_judged_by_its_own_settings_in_any_order(two_projects: Path, run_fixlint) -> None:
    assert findings(run_fixlint, two_projects, "a", "b") == EXPECTED
    assert findings(run_fixlint, two_projects, "b", "a") == EXPECTED
    # As pre-commit names files, in any order: the test modules alone get the findings that concern them.
    named = ("b/tests/test_b.py", "a/tests/test_a.py")
    assert findings(run_fixlint, two_projects, *named) == [EXPECTED[0], EXPECTED[3]]
    assert findings(run_fixlint, two_projects, *reversed(named)) == [EXPECTED[0], EXPECTED[3]]
    # From inside one project, the other's settings still hold for the other's files.
    inside = findings(run_fixlint, two_projects / "b", ".", "../a")
    assert inside == [(path.replace("a/", "../a/", 1).replace("b/", "", 1), *rest) for path, *rest in EXPECTED]


def test_a_config_file_nearer_the_file_wins_whole_and_the_cache_sees_it(two_projects: Path, run_fixlint) -> None:
    """Settings do not merge (ruff's without `extend`): b/tests/pyproject.toml replaces b's, and
    the cached run notices the new file."""
    assert findings(run_fixlint, two_projects, "b") == EXPECTED[3:]
    (two_projects / "b/tests/pyproject.toml").write_text('[tool.fixlint]\nselect = ["fixture-duplicate"]\n')
    assert findings(run_fixlint, two_projects, "b") == [("b/tests/conftest.py", 24, "fixture-duplicate", None)]
    (two_projects / "b/tests/pyproject.toml").unlink()
    (two_projects / "b/fixlint.toml").write_text("")
    assert [f[2] for f in findings(run_fixlint, two_projects, "b")] == ["fixture-scope-mismatch", "fixture-duplicate"]


def test_config_key_value_overrides_every_files_settings(two_projects: Path, run_fixlint) -> None:
    narrowest = findings(run_fixlint, two_projects, "--config", 'fixture-scope.fix-to = "narrowest"', "b", "a")
    assert [f[3] for f in narrowest if f[2] == "fixture-scope-mismatch"] == ['"module"', '"module"']
    only = findings(run_fixlint, two_projects, "--config", 'select = ["fixture-duplicate"]', "a", "b")
    # a's extend-select still holds beside the new select; b still ignores duplicates.
    assert only == [EXPECTED[1], EXPECTED[2]]


def test_config_file_and_key_value_together(two_projects: Path, run_fixlint) -> None:
    (two_projects / "shared.toml").write_text('select = ["fixture-scope-mismatch"]\n')
    both = findings(
        run_fixlint, two_projects, "--config", "shared.toml", "--config", "fixture-scope.fix-to='narrowest'", "a", "b"
    )
    assert both == [EXPECTED[0], ("b/tests/conftest.py", 4, "fixture-scope-mismatch", '"module"')]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("nope = 1", "--config: unknown key `nope` in [tool.fixlint]"),
        ("fixture-scope.fix-to = 'widest'", "--config: [tool.fixlint.fixture-scope] `fix-to`: expected one of"),
        ("select = [", "--config select = [: not a TOML `key = value` line"),
        ("missing.toml", "--config missing.toml: no such file"),
    ],
)
def test_a_bad_config_argument_exits_2_and_says_which(two_projects: Path, run_fixlint, value, message) -> None:
    result = run_fixlint(two_projects, "check", "--config", value, "a")
    assert result.exit_code == 2 and result.stdout == ""
    assert message in result.stderr


def test_show_settings_says_where_each_setting_comes_from(two_projects: Path, run_fixlint) -> None:
    result = run_fixlint(
        two_projects, "check", "--show-settings", "--config", "legacy-mock.factory = 'make_mock'", "a/tests/test_a.py"
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "Settings for a/tests/test_a.py",
        "  settings file: a/pyproject.toml",
        "  rootdir: a; the rule options are its settings': a/pyproject.toml",
    ]
    assert 'extend-select = ["fixture-autouse-mixed"]         # a/pyproject.toml' in lines
    assert "ignore = []                                       # default" in lines
    assert 'fix-to = "narrowest"                              # a/pyproject.toml' in lines
    assert 'factory = "make_mock"                             # --config' in lines
    rules = next(line for line in lines if line.startswith("rules = "))
    assert '"fixture-autouse-mixed"' in rules and '"fixture-duplicate"' in rules
    other = run_fixlint(two_projects, "check", "--show-settings", "--ignore", "fixture-cycle", "b/tests").stdout
    assert "  settings file: b/fixlint.toml" in other
    rules = next(line for line in other.splitlines() if line.startswith("rules = "))
    assert '"fixture-duplicate"' not in rules and '"fixture-cycle"' not in rules
