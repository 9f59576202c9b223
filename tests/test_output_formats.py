"""The machine-read formats (json-lines, junit, gitlab) read by what reads them, selection by
prefix, and the options around the output, through the real CLI on real trees."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from junitparser import Failure, JUnitXml
from test_cli import CONFTEST, make_tree

# GitLab's code quality report: a JSON array of issues. GitLab's own parser checks each issue
# against app/validators/json_schemas/codeclimate.json (gitlab repository): description,
# fingerprint, severity and location required, lines.begin an integer. Its documentation adds the
# severities it knows, a path relative to the repository and fingerprints unique in a report;
# this schema holds all of that.
GITLAB_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "pattern": "^[^/]"},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}, "end": {"type": "integer"}},
                    },
                },
            },
        },
    },
}
CLASS_FIXTURE = """
class Test{name}:
    @pytest.fixture(scope="class")
    def app(self, db):
        return db

    def test_{name}(self, app):
        pass
"""
MODULE = "import pytest\n\n\n@pytest.fixture\ndef db():\n    return 1\n" + CLASS_FIXTURE.format(name="A")


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    return make_tree(
        tmp_path,
        {
            "tests/conftest.py": CONFTEST,
            "tests/test_app.py": "def test_app(app):\n    assert app\n",
            "tests/test_mod.py": MODULE + CLASS_FIXTURE.format(name="B"),
        },
    )


def fresh(root: Path, files: dict[str, str]) -> Path:
    root.mkdir()
    return make_tree(root, files)


def test_json_lines_is_one_json_record_a_line(suite: Path, run_fixlint) -> None:
    lines = run_fixlint(suite, "check", "--format", "json-lines").stdout.splitlines()
    records = json.loads(run_fixlint(suite, "check", "--format", "json").stdout)
    assert len(lines) == 3 and [json.loads(line) for line in lines] == records
    clean = fresh(suite / "clean", {"test_ok.py": "def test_ok():\n    pass\n"})
    assert run_fixlint(clean, "check", "--format", "json-lines").stdout == ""


def test_junit_is_read_by_a_junit_consumer(suite: Path, run_fixlint) -> None:
    result = run_fixlint(suite, "check", "--format", "junit")
    assert result.exit_code == 1
    report = JUnitXml.fromstring(result.stdout.encode())
    suites = {suite_.name: suite_ for suite_ in report}
    assert sorted(suites) == ["tests/conftest.py", "tests/test_mod.py"]
    assert (report.tests, report.failures) == (3, 3)
    cases = [case for suite_ in report for case in suite_]
    assert [case.name for case in cases] == [
        "fixture-scope-mismatch at 4:1",
        "fixture-scope-mismatch at 9:5",
        "fixture-scope-mismatch at 17:5",
    ]
    (failure,) = cases[0].result
    assert isinstance(failure, Failure) and failure.type == "fixture-scope-mismatch"
    assert failure.message.startswith("`app` (session scope) requests `db`")
    assert cases[0].classname == "tests/conftest.py"

    clean = fresh(suite / "clean", {"test_ok.py": "def test_ok():\n    pass\n"})
    report = JUnitXml.fromstring(run_fixlint(clean, "check", "--format", "junit").stdout.encode())
    assert (report.tests, report.failures) == (1, 0)
    assert [case.is_passed for suite_ in report for case in suite_] == [True]


def test_a_control_character_in_a_message_still_makes_xml(tmp_path: Path, run_fixlint) -> None:
    make_tree(tmp_path, {"test_bad.py": "x = '\x01\n"})  # a syntax error quoting the line
    report = JUnitXml.fromstring(run_fixlint(tmp_path, "check", "--format", "junit").stdout.encode())
    assert report.failures == 1


def test_gitlab_report_matches_gitlabs_schema_with_unique_stable_fingerprints(suite: Path, run_fixlint) -> None:
    result = run_fixlint(suite, "check", "--format", "gitlab")
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    jsonschema.validate(issues, GITLAB_SCHEMA)
    assert [(i["location"]["path"], i["location"]["lines"]["begin"], i["check_name"]) for i in issues] == [
        ("tests/conftest.py", 4, "fixture-scope-mismatch"),
        ("tests/test_mod.py", 9, "fixture-scope-mismatch"),
        ("tests/test_mod.py", 17, "fixture-scope-mismatch"),
    ]
    # The two classes' findings are equal but for their place: GitLab needs two fingerprints.
    assert len({issue["fingerprint"] for issue in issues}) == 3
    assert {issue["severity"] for issue in issues} == {"major"}
    # Lines added above every finding: GitLab sees the same issues, not three fixed and three new.
    for name in ("tests/conftest.py", "tests/test_mod.py"):
        (suite / name).write_text("# moved\n\n" + (suite / name).read_text())
    moved = json.loads(run_fixlint(suite, "check", "--format", "gitlab").stdout)
    assert [i["fingerprint"] for i in moved] == [i["fingerprint"] for i in issues]
    assert [i["location"]["lines"]["begin"] for i in moved] == [6, 11, 19]
    clean = fresh(suite / "clean", {"test_ok.py": "def test_ok():\n    pass\n"})
    assert json.loads(run_fixlint(clean, "check", "--format", "gitlab").stdout) == []


def rules_reported(run_fixlint, root: Path, *args: str) -> set[str]:
    result = run_fixlint(root, "check", "--format", "json", "--exit-zero", *args)
    assert result.exit_code == 0, result.output
    return {finding["rule"] for finding in json.loads(result.stdout)}


def test_selection_by_name_family_and_prefix(suite: Path, run_fixlint) -> None:
    (suite / "tests/test_dup.py").write_text(
        "import pytest\n\n@pytest.fixture\ndef x():\n    return 1\n\n@pytest.fixture\ndef x():\n    return 2\n"
        "\n\ndef test_x(x):\n    assert x\n"  # x is used: fixture-unused stays out of it
    )
    both = {"fixture-scope-mismatch", "fixture-duplicate"}
    assert rules_reported(run_fixlint, suite) == both
    every_fixture_rule = both | {"fixture-unread"}  # off by default, on when a prefix names it
    for prefix, selected in (
        ("fixture-", every_fixture_rule),
        ("fixture", every_fixture_rule),
        ("fixture-scope", both),
    ):
        assert rules_reported(run_fixlint, suite, "--select", prefix) == selected
        assert rules_reported(run_fixlint, suite, "--ignore", prefix) == set()
    assert rules_reported(run_fixlint, suite, "--rule", "fixture-scope-mismatch") == {"fixture-scope-mismatch"}
    assert rules_reported(run_fixlint, suite, "--select", "required-") == set()
    assert (
        rules_reported(run_fixlint, suite, "--select", "required-", "--extend-select", "fixture") == every_fixture_rule
    )
    (suite / "pyproject.toml").write_text("[tool.fixlint]\nselect = ['fixture-']\nignore = ['fixture-scope-']\n")
    assert rules_reported(run_fixlint, suite) == {"fixture-duplicate", "fixture-unread"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--select", "fixtur-scope"),
            "--select: unknown rule or family `fixtur-scope`; did you mean `fixture-scope`?",
        ),
        (("--ignore", "fixture-sc"), "--ignore: unknown rule or family `fixture-sc`; did you mean `fixture-scope`?"),
        (("--extend-select", "fixture-duplicat"), "did you mean `fixture-duplicate`?"),
        (("--select", "zzz"), "--select: unknown rule or family `zzz` (see `fixlint rules`)"),
    ],
)
def test_a_typo_in_a_rule_name_exits_2_with_the_nearest_name(
    suite: Path, run_fixlint, args: tuple[str, ...], message: str
) -> None:
    result = run_fixlint(suite, "check", *args)
    assert result.exit_code == 2 and message in result.stderr and result.stdout == ""


def test_a_typo_in_the_config_names_the_file_and_the_nearest_name(suite: Path, run_fixlint) -> None:
    (suite / "pyproject.toml").write_text("[tool.fixlint]\nignore = ['fixture-duplicates']\n")
    result = run_fixlint(suite, "check")
    assert result.exit_code == 2
    assert "pyproject.toml: [tool.fixlint] `ignore`: unknown rule or family `fixture-duplicates`" in result.stderr
    assert "did you mean `fixture-duplicate`?" in result.stderr


def test_output_file_takes_the_findings_and_stdout_stays_empty(suite: Path, run_fixlint) -> None:
    result = run_fixlint(suite, "check", "--format", "gitlab", "--output-file", "reports/quality.json")
    assert result.exit_code == 1 and result.stdout == ""
    jsonschema.validate(json.loads((suite / "reports/quality.json").read_text()), GITLAB_SCHEMA)
    result = run_fixlint(suite, "check", "-o", "out.txt")
    assert (suite / "out.txt").read_text().endswith("Found 3 errors.\n[*] 3 fixable with `fixlint fix`.\n")


def test_exit_non_zero_on_fix(suite: Path, run_fixlint) -> None:
    copy = fresh(suite / "copy", {"tests/conftest.py": CONFTEST, "tests/test_app.py": "def test_app(app):\n    pass\n"})
    assert run_fixlint(copy, "fix").exit_code == 0  # everything fixed, nothing left
    copy = fresh(
        suite / "again", {"tests/conftest.py": CONFTEST, "tests/test_app.py": "def test_app(app):\n    pass\n"}
    )
    result = run_fixlint(copy, "fix", "--exit-non-zero-on-fix")
    assert result.exit_code == 1 and "1 fixed, 0 remaining" in result.stdout
    assert run_fixlint(copy, "fix", "--exit-non-zero-on-fix").exit_code == 0  # nothing left to fix


@pytest.mark.parametrize("args", [("--format", "sarif"), ("--format", "json"), ("--output-file", "x.diff")])
def test_fix_diff_refuses_another_format(suite: Path, run_fixlint, args: tuple[str, ...]) -> None:
    before = (suite / "tests/conftest.py").read_bytes()
    result = run_fixlint(suite, "fix", "--diff", *args)
    assert result.exit_code == 2 and "--diff prints a unified diff" in result.stderr and result.stdout == ""
    assert (suite / "tests/conftest.py").read_bytes() == before


def test_statistics_count_each_rule_most_first(suite: Path, run_fixlint) -> None:
    """ruff's --statistics: one row a rule (count, name, [*] when a fix is offered, what it finds),
    most first, instead of the findings; JSON rows with --format json; the exit code unchanged."""
    (suite / "tests/test_dup.py").write_text(
        "import pytest\n\n\n@pytest.fixture\ndef app():\n    return 1\n\n\n"
        "@pytest.fixture\ndef app():\n    return 2\n\n\n"
        "def test_dup(app):\n    assert app\n"
    )
    result = run_fixlint(suite, "check", "--statistics", "--select", "fixture-scope-mismatch,fixture-duplicate")
    assert result.exit_code == 1
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(count.strip(), rule.strip()) for count, rule, _ in rows] == [
        ("3", "fixture-scope-mismatch"),
        ("1", "fixture-duplicate"),
    ]
    assert rows[0][2].startswith("[*] A fixture requests a fixture of narrower scope")
    assert rows[1][2].startswith("[ ] ")
    assert "-->" not in result.stdout  # no finding is shown

    rows_json = json.loads(
        run_fixlint(suite, "check", "--statistics", "--format", "json", "--select", "fixture-duplicate").stdout
    )
    assert rows_json == [
        {"code": "fixture-duplicate", "count": 1, "fixable": False, "summary": rows[1][2][4:]},
    ]
    refused = run_fixlint(suite, "check", "--statistics", "--format", "sarif")
    assert refused.exit_code == 2 and "--statistics" in refused.stderr
