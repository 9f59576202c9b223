"""The baseline as a team adopting fixlint meets it: record today's findings, see only new ones,
burn the file down. Real trees, the real CLI."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from test_cli import CONFTEST, make_tree

# Two fixtures of one shape in two classes: the same code and message, two findings.
CLASS_FIXTURE = """
class Test{name}:
    @pytest.fixture(scope="class")
    def app(self, db):
        return db

    def test_{name}(self, app):
        pass
"""
MODULE = "import pytest\n\n\n@pytest.fixture\ndef db():\n    return 1\n"


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    """A conftest mismatch that two test files hit, and a module with a mismatch of its own."""
    return make_tree(
        tmp_path,
        {
            "tests/conftest.py": CONFTEST,
            "tests/test_app.py": "def test_app(app):\n    assert app\n",
            "tests/test_other.py": "def test_other(app):\n    assert app\n",
            "tests/test_mod.py": MODULE + CLASS_FIXTURE.format(name="A"),
        },
    )


def entries(path: Path) -> list[dict]:
    return json.loads(path.read_text())["entries"]


def test_a_baseline_hides_todays_findings_and_is_one_sorted_entry_a_line(suite: Path, run_fixlint) -> None:
    written = run_fixlint(suite, "check", "--write-baseline", "fixlint-baseline.json")
    assert written.exit_code == 0 and written.stdout == ""
    assert "wrote 2 entries to fixlint-baseline.json" in written.stderr
    text = (suite / "fixlint-baseline.json").read_text()
    recorded = entries(suite / "fixlint-baseline.json")
    assert [(e["path"], e["rule"]) for e in recorded] == [
        ("tests/conftest.py", "fixture-scope-mismatch"),
        ("tests/test_mod.py", "fixture-scope-mismatch"),
    ]
    assert all(line.strip().startswith('{"path"') for line in text.splitlines()[3:5])  # one entry a line
    assert run_fixlint(suite, "check", "--write-baseline", "fixlint-baseline.json").exit_code == 0
    assert (suite / "fixlint-baseline.json").read_text() == text  # stable: a second write changes nothing
    # A run that plans every fix (json) records the same file as one that plans none (text).
    run_fixlint(suite, "check", "--format", "json", "--write-baseline", "from-json.json")
    assert (suite / "from-json.json").read_text() == text

    result = run_fixlint(suite, "check", "--baseline", "fixlint-baseline.json")
    assert result.exit_code == 0, result.output
    assert result.stdout == "All checks passed!\n"
    assert "baseline fixlint-baseline.json: 2 findings not shown." in result.stderr
    assert run_fixlint(suite, "check").exit_code == 1  # without it, both are there


def test_entries_survive_line_shifts_and_edits_elsewhere(suite: Path, run_fixlint) -> None:
    run_fixlint(suite, "check", "--write-baseline", "b.json")
    conftest = suite / "tests/conftest.py"
    # Lines above the finding, and the line it cites (`db`, defined at conftest.py:N) moved too.
    conftest.write_text('"""Shared fixtures."""\nimport os\n\n\n' + CONFTEST.replace("return 1", "return int(os.sep)"))
    module = suite / "tests/test_mod.py"
    module.write_text("# a comment\n\n" + module.read_text() + "\n\ndef test_plain():\n    pass\n")
    result = run_fixlint(suite, "check", "--baseline", "b.json")
    assert result.exit_code == 0, result.output
    assert "2 findings not shown" in result.stderr and "fixed" not in result.stderr


def test_a_change_to_the_findings_own_code_is_a_new_finding(suite: Path, run_fixlint) -> None:
    run_fixlint(suite, "check", "--write-baseline", "b.json")
    conftest = suite / "tests/conftest.py"
    conftest.write_text(CONFTEST.replace('@pytest.fixture(scope="session")', '@pytest.fixture(scope="module")'))
    result = run_fixlint(suite, "check", "--baseline", "b.json")
    assert result.exit_code == 1
    assert "--> tests/conftest.py:4:1" in result.stdout and "(module scope)" in result.stdout
    # The session-scope entry matches nothing now: it is reported as fixed.
    assert "1 finding not shown; 1 entry fixed" in result.stderr


def test_two_equal_findings_need_two_entries(suite: Path, run_fixlint) -> None:
    module = suite / "tests/test_mod.py"
    module.write_text(module.read_text() + CLASS_FIXTURE.format(name="B"))
    run_fixlint(suite, "check", "--write-baseline", "b.json")
    recorded = entries(suite / "b.json")
    module_entries = [e for e in recorded if e["path"] == "tests/test_mod.py"]
    assert len(module_entries) == 2 and module_entries[0]["fingerprint"] == module_entries[1]["fingerprint"]
    assert run_fixlint(suite, "check", "--baseline", "b.json").exit_code == 0
    # One of the two entries taken out by hand: one of the two equal findings is new again.
    (suite / "b.json").write_text(json.dumps({"fixlint-baseline": 1, "entries": recorded[:-1]}))
    result = run_fixlint(suite, "check", "--baseline", "b.json", "--format", "json")
    assert result.exit_code == 1
    assert [(f["path"], f["rule"]) for f in json.loads(result.stdout)] == [
        ("tests/test_mod.py", "fixture-scope-mismatch")
    ]
    assert "2 findings not shown." in result.stderr


def test_fixed_entries_are_reported_and_dropped_by_write_baseline(suite: Path, run_fixlint) -> None:
    run_fixlint(suite, "check", "--write-baseline", "b.json")
    assert run_fixlint(suite, "fix", "--rule", "fixture-scope-mismatch").exit_code == 0
    result = run_fixlint(suite, "check", "--baseline", "b.json")
    assert result.exit_code == 0 and result.stdout == "All checks passed!\n"
    assert "2 entries fixed (`fixlint check --write-baseline b.json` drops them)" in result.stderr
    written = run_fixlint(suite, "check", "--write-baseline", "b.json")
    assert "wrote 0 entries to b.json (2 no longer found, dropped)" in written.stderr
    assert entries(suite / "b.json") == []
    assert "not shown" not in run_fixlint(suite, "check", "--baseline", "b.json").stderr


def test_one_named_file_uses_only_its_own_entries(suite: Path, run_fixlint) -> None:
    """pre-commit names the changed files: the entries of the others are neither fixed nor dropped."""
    run_fixlint(suite, "check", "--write-baseline", "b.json")
    before = (suite / "b.json").read_text()
    # The conftest's finding is reported for tests/test_app.py (a test of its hits it): still known.
    result = run_fixlint(suite, "check", "--baseline", "b.json", "tests/test_app.py")
    assert result.exit_code == 0 and "1 finding not shown." in result.stderr
    assert "fixed" not in result.stderr
    (suite / "tests/test_mod.py").write_text(MODULE)  # its finding fixed by hand
    result = run_fixlint(suite, "check", "--baseline", "b.json", "tests/test_mod.py")
    assert result.exit_code == 0 and "1 entry fixed" in result.stderr
    run_fixlint(suite, "check", "--write-baseline", "b.json", "tests/test_mod.py")
    assert [e["path"] for e in entries(suite / "b.json")] == ["tests/conftest.py"]
    assert entries(suite / "b.json") == [e for e in json.loads(before)["entries"] if e["path"] == "tests/conftest.py"]


def test_a_named_file_matches_entries_whose_hints_need_the_whole_tree(tmp_path: Path, run_fixlint) -> None:
    """The folder run's message says where an unseen fixture of the name is defined (it read the
    module that defines it); a run on the one file (pre-commit) cannot: the same finding."""
    suite = make_tree(
        tmp_path,
        {
            "tests/test_owner.py": MODULE + "\n\ndef test_owner(db):\n    assert db\n",
            "tests/test_user.py": "def test_user(db):\n    assert db\n",
        },
    )
    assert "test_owner.py:4 (a module's fixtures" in run_fixlint(suite, "check", "--format", "concise").output
    run_fixlint(suite, "check", "--write-baseline", "b.json")
    before = (suite / "b.json").read_text()
    result = run_fixlint(suite, "check", "--baseline", "b.json", "tests/test_user.py")
    assert result.exit_code == 0 and "1 finding not shown." in result.stderr, result.output
    run_fixlint(suite, "check", "--write-baseline", "b.json", "tests/test_user.py")
    assert (suite / "b.json").read_text() == before


@pytest.mark.parametrize("output_format", ["text", "json", "json-lines", "junit", "github", "gitlab", "sarif"])
def test_every_format_leaves_the_known_findings_out(suite: Path, run_fixlint, output_format: str) -> None:
    run_fixlint(suite, "check", "--write-baseline", "b.json", "tests/test_mod.py")  # the conftest's is new
    result = run_fixlint(suite, "check", "--baseline", "b.json", "--format", output_format)
    assert result.exit_code == 1
    assert "conftest.py" in result.stdout and "test_mod.py" not in result.stdout


def test_the_run_cache_answers_as_a_cold_run_does(suite: Path, run_fixlint) -> None:
    run_fixlint(suite, "check", "--write-baseline", "b.json", "tests/test_mod.py")
    (suite / "tests/conftest.py").write_text("# edited\n" + CONFTEST)
    cold = run_fixlint(suite, "check", "--no-cache", "--baseline", "b.json")
    first = run_fixlint(suite, "check", "--baseline", "b.json")
    warm = run_fixlint(suite, "check", "--baseline", "b.json")
    assert cold.exit_code == first.exit_code == warm.exit_code == 1
    assert cold.stdout == first.stdout == warm.stdout
    assert cold.stderr == first.stderr == warm.stderr == "fixlint: baseline b.json: 1 finding not shown.\n"


def test_the_baseline_set_in_the_config(suite: Path, run_fixlint) -> None:
    (suite / "pyproject.toml").write_text('[tool.fixlint]\nbaseline = "ci/fixlint-baseline.json"\n')
    run_fixlint(suite, "check", "--write-baseline", "ci/fixlint-baseline.json")
    assert [e["path"] for e in entries(suite / "ci/fixlint-baseline.json")] == [
        "../tests/conftest.py",
        "../tests/test_mod.py",
    ]
    result = run_fixlint(suite / "tests", "check")  # from a subfolder: the path is the config's
    assert result.exit_code == 0, result.output
    assert "baseline ../ci/fixlint-baseline.json: 2 findings not shown" in result.stderr
    # fix reports what is left beyond the baseline too: nothing, so it passes in pre-commit.
    assert run_fixlint(suite, "fix", "--rule", "fixture-duplicate").exit_code == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read the baseline"),
        ("[]", "not a fixlint baseline"),
        ('{"fixlint-baseline": 1, "entries": [{"path": 1}]}', "needs the strings path, rule and fingerprint"),
    ],
)
def test_a_missing_or_broken_baseline_exits_2(suite: Path, run_fixlint, content, message: str) -> None:
    if content is not None:
        (suite / "b.json").write_text(content)
    result = run_fixlint(suite, "check", "--baseline", "b.json")
    assert result.exit_code == 2 and message in result.stderr and result.stdout == ""


def test_the_readmes_three_commands(suite: Path, run_fixlint) -> None:
    """The README's adoption section, run as written: record, check (only new findings fail), burn down."""
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    section = readme.split("## Adopting fixlint on an existing suite", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    record, check, burn_down = [shlex.split(line.split("#", 1)[0])[1:] for line in block.splitlines()]
    (suite / "pyproject.toml").write_text('[tool.fixlint]\nbaseline = "fixlint-baseline.json"\n')
    assert run_fixlint(suite, *record).exit_code == 0
    assert len(entries(suite / "fixlint-baseline.json")) == 2
    assert run_fixlint(suite, *check).exit_code == 0
    (suite / "tests/test_new.py").write_text(MODULE + CLASS_FIXTURE.format(name="New"))
    new = run_fixlint(suite, *check)
    assert new.exit_code == 1 and "--> tests/test_new.py:9:5" in new.stdout
    (suite / "tests/test_new.py").unlink()
    run_fixlint(suite, "fix")
    assert "2 entries fixed" in run_fixlint(suite, *check).stderr
    assert run_fixlint(suite, *burn_down).exit_code == 0
    assert entries(suite / "fixlint-baseline.json") == []


def test_fix_reads_the_baseline_before_it_writes(suite: Path, run_fixlint) -> None:
    (suite / "pyproject.toml").write_text('[tool.fixlint]\nbaseline = "missing.json"\n')
    before = (suite / "tests/conftest.py").read_bytes()
    result = run_fixlint(suite, "fix")
    assert result.exit_code == 2 and "missing.json: cannot read the baseline" in result.stderr
    assert (suite / "tests/conftest.py").read_bytes() == before
