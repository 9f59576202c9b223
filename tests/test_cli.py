"""The CLI as a user meets it: a tree, a command, what it prints, the exit code."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fixlint import __version__
from fixlint.rules.registry import RULES

CONFTEST = """\
import pytest


@pytest.fixture(scope="session")
def app(db):
    return db


@pytest.fixture
def db():
    return 1
"""


def make_tree(root: Path, files: dict[str, str], ini: str = "[pytest]\n") -> Path:
    (root / "pytest.ini").write_text(ini)
    for relative, source in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return root


@pytest.fixture
def mismatch_tree(tmp_path: Path) -> Path:
    return make_tree(
        tmp_path, {"tests/conftest.py": CONFTEST, "tests/test_app.py": "def test_app(app):\n    assert app\n"}
    )


def test_check_text_output_and_exit_code(mismatch_tree: Path, run_fixlint) -> None:
    result = run_fixlint(mismatch_tree, "check", "--format", "concise", "tests")
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith("tests/conftest.py:4:1: fixture-scope-mismatch [*] `app` (session scope) requests `db`")
    assert "tests/test_app.py::test_app" in first
    assert "Found 1 error" in result.stdout


def test_clean_tree_exits_zero(tmp_path: Path, run_fixlint) -> None:
    make_tree(tmp_path, {"test_ok.py": "def test_ok():\n    pass\n"})
    result = run_fixlint(tmp_path, "check")
    assert result.exit_code == 0
    assert "All checks passed!" in result.stdout


def test_exit_zero_and_quiet(mismatch_tree: Path, run_fixlint) -> None:
    result = run_fixlint(mismatch_tree, "check", "--exit-zero", "--quiet", "--format", "concise")
    assert result.exit_code == 0
    assert result.stdout.count("\n") == 1 and "Found" not in result.stdout
    framed = run_fixlint(mismatch_tree, "check", "--exit-zero", "--quiet")
    assert " --> tests/conftest.py:4:1" in framed.stdout and "Found" not in framed.stdout
    assert framed.stdout.endswith("  |\n")  # the frame's last line, no blank line after it


def test_json_carries_the_mismatch_data(mismatch_tree: Path, run_fixlint) -> None:
    result = run_fixlint(mismatch_tree, "check", "--format", "json")
    (finding,) = json.loads(result.stdout)
    assert finding["rule"] == "fixture-scope-mismatch"
    assert finding["path"] == "tests/conftest.py"
    assert (finding["line"], finding["column"]) == (4, 1)
    assert finding["fix"]["applicability"] == "safe"
    assert finding["fix"]["edits"][0]["content"] == '"function"'
    data = finding["data"]
    assert (data["requester"], data["requester_scope"], data["requested"], data["requested_scope"]) == (
        "app",
        "session",
        "db",
        "function",
    )
    assert (data["requested_path"], data["requested_line"]) == ("tests/conftest.py", 9)
    assert data["tests"] == ["tests/test_app.py::test_app"]


def test_github_and_sarif_formats(mismatch_tree: Path, run_fixlint) -> None:
    github = run_fixlint(mismatch_tree, "check", "--format", "github").stdout
    assert github.startswith("::error title=fixlint (fixture-scope-mismatch),file=tests/conftest.py,line=4,col=1")
    sarif = json.loads(run_fixlint(mismatch_tree, "check", "--format", "sarif").stdout)
    assert sarif["version"] == "2.1.0"
    (result,) = sarif["runs"][0]["results"]
    assert result["ruleId"] == "fixture-scope-mismatch"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "tests/conftest.py"
    assert {rule["id"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]} == set(RULES)


def test_fix_writes_and_reports_nothing_left(mismatch_tree: Path, run_fixlint) -> None:
    result = run_fixlint(mismatch_tree, "fix", "--rule", "fixture-scope")
    assert result.exit_code == 0, result.output
    assert '@pytest.fixture(scope="function")\ndef app(db):' in (mismatch_tree / "tests/conftest.py").read_text()
    assert run_fixlint(mismatch_tree, "check").exit_code == 0


def test_fix_diff_writes_nothing(mismatch_tree: Path, run_fixlint) -> None:
    before = (mismatch_tree / "tests/conftest.py").read_text()
    result = run_fixlint(mismatch_tree, "fix", "--diff")
    assert result.exit_code == 1
    assert '-@pytest.fixture(scope="session")' in result.stdout
    assert '+@pytest.fixture(scope="function")' in result.stdout
    assert (mismatch_tree / "tests/conftest.py").read_text() == before


def test_unsafe_fixes_are_hidden_without_the_flag(tmp_path: Path, run_fixlint) -> None:
    conftest = (
        "import pytest\n\n@pytest.fixture(scope='session', autouse=True)\ndef a():\n    yield\n\n"
        "@pytest.fixture(autouse=True)\ndef b():\n    yield\n"
    )
    make_tree(tmp_path, {"conftest.py": conftest, "test_x.py": "def test_x():\n    pass\n"})
    rule = ("--extend-select", "fixture-autouse-mixed")  # off by default: the report's house standard
    result = run_fixlint(tmp_path, "fix", *rule)
    assert result.exit_code == 1
    assert (tmp_path / "conftest.py").read_text() == conftest
    assert "--unsafe-fixes" in result.stdout
    assert run_fixlint(tmp_path, "fix", *rule, "--unsafe-fixes").exit_code == 0
    assert "scope='function', autouse=True" in (tmp_path / "conftest.py").read_text()


def test_report_scope_is_the_named_file_but_the_conftest_chain_is_read(tmp_path: Path, run_fixlint) -> None:
    make_tree(
        tmp_path,
        {
            "conftest.py": (
                "import pytest\n\n@pytest.fixture(scope='module')\ndef app(db):\n    return db\n\n"
                "@pytest.fixture(scope='module')\ndef db():\n    return 1\n"
            ),
            "test_a.py": "def test_a(app):\n    pass\n",
            "test_b.py": "import pytest\n\n@pytest.fixture\ndef db():\n    return 2\n\ndef test_b(app):\n    pass\n",
        },
    )
    assert run_fixlint(tmp_path, "check", "test_a.py").exit_code == 0
    result = run_fixlint(tmp_path, "check", "--format", "json", "test_b.py")
    (finding,) = json.loads(result.stdout)
    assert finding["path"] == "conftest.py" and finding["data"]["tests"] == ["test_b.py::test_b"]
    named_conftest = json.loads(run_fixlint(tmp_path, "check", "--format", "json", "conftest.py").stdout)
    assert [f["data"]["tests"] for f in named_conftest] == [["test_b.py::test_b"]]


def test_a_named_plugin_module_is_judged_by_the_tests_that_use_it(tmp_path: Path, run_fixlint) -> None:
    make_tree(
        tmp_path,
        {
            "conftest.py": "pytest_plugins = ['helpers.fixtures']\n",
            "helpers/__init__.py": "",
            "helpers/fixtures.py": CONFTEST,
            "tests/test_app.py": "def test_app(app):\n    pass\n",
        },
    )
    (finding,) = json.loads(run_fixlint(tmp_path, "check", "--format", "json", "helpers/fixtures.py").stdout)
    assert (finding["path"], finding["data"]["tests"]) == ("helpers/fixtures.py", ["tests/test_app.py::test_app"])


def test_suppressions_and_unused_suppression(tmp_path: Path, run_fixlint) -> None:
    conftest = CONFTEST.replace(
        '@pytest.fixture(scope="session")',
        '@pytest.fixture(scope="session")  # fixlint: ignore[fixture-scope-mismatch]',
    )
    conftest = conftest.replace("@pytest.fixture\ndef db", "@pytest.fixture  # fixlint: ignore\ndef db")
    make_tree(tmp_path, {"conftest.py": conftest, "test_app.py": "def test_app(app):\n    pass\n"})
    result = run_fixlint(tmp_path, "check", "--format", "json")
    (finding,) = json.loads(result.stdout)
    assert (finding["rule"], finding["line"]) == ("unused-suppression", 9)
    assert run_fixlint(tmp_path, "fix").exit_code == 0
    assert "@pytest.fixture\ndef db" in (tmp_path / "conftest.py").read_text()


def test_a_fixture_finding_is_suppressed_on_its_def_line_too(tmp_path: Path, run_fixlint) -> None:
    conftest = CONFTEST.replace("def app(db):", "def app(db):  # fixlint: ignore[fixture-scope-mismatch]")
    make_tree(tmp_path, {"conftest.py": conftest, "test_app.py": "def test_app(app):\n    pass\n"})
    result = run_fixlint(tmp_path, "check")
    assert result.exit_code == 0, result.stdout


def test_json_paths_are_relative_to_the_cwd_and_absent_locations_null(tmp_path: Path, run_fixlint) -> None:
    make_tree(
        tmp_path,
        {
            "conftest.py": (
                "import pytest\n\n@pytest.fixture(scope='session')\ndef app(tmp_path):\n    return tmp_path\n"
            ),
            "sub/test_app.py": "def test_app(app):\n    pass\n",
        },
    )
    (finding,) = json.loads(run_fixlint(tmp_path / "sub", "check", "--format", "json", ".").stdout)
    assert finding["path"] == "../conftest.py"
    data = finding["data"]
    assert (data["requester_path"], data["requested_path"], data["requested_line"]) == ("../conftest.py", None, None)
    assert data["tests"] == ["sub/test_app.py::test_app"]  # node ids stay rootdir-relative, as pytest's


def test_syntax_error_is_a_finding_and_other_files_are_checked(mismatch_tree: Path, run_fixlint) -> None:
    (mismatch_tree / "tests/test_broken.py").write_text("def test_x(:\n    pass\n")
    result = run_fixlint(mismatch_tree, "check", "--format", "json")
    rules = sorted((f["rule"], f["path"], f["line"]) for f in json.loads(result.stdout))
    assert rules == [("fixture-scope-mismatch", "tests/conftest.py", 4), ("syntax-error", "tests/test_broken.py", 1)]
    assert result.exit_code == 1


@pytest.mark.parametrize(
    "pyproject, message",
    [
        ("[tool.fixlint]\nselekt = ['x']\n", "unknown key `selekt`"),
        ("[tool.fixlint]\nselect = ['no-such-rule']\n", "unknown rule or family `no-such-rule`"),
        ("[tool.fixlint.fixture-scope]\nfix-to = 'widest'\n", "`fix-to`: expected one of function, narrowest"),
        ("[tool.fixlint.fixture-scope]\nfixto = 'function'\n", "unknown key `fixto`"),
        ("[tool.fixlint]\nexclude = 'tests'\n", "`exclude`: expected a list of strings"),
    ],
)
def test_config_errors_exit_2_naming_file_and_key(tmp_path: Path, run_fixlint, pyproject: str, message: str) -> None:
    make_tree(tmp_path, {"pyproject.toml": pyproject, "test_ok.py": "def test_ok():\n    pass\n"})
    result = run_fixlint(tmp_path, "check")
    assert result.exit_code == 2
    assert str(tmp_path / "pyproject.toml") in result.stderr and message in result.stderr


def test_unknown_rule_on_the_command_line_exits_2(mismatch_tree: Path, run_fixlint) -> None:
    result = run_fixlint(mismatch_tree, "check", "--rule", "fixture-scope,nope")
    assert result.exit_code == 2 and "unknown rule or family `nope`" in result.stderr


def test_options_reach_the_rules(mismatch_tree: Path, run_fixlint) -> None:
    (mismatch_tree / "tests/conftest.py").write_text(
        CONFTEST.replace("@pytest.fixture\ndef db", "@pytest.fixture(scope='module')\ndef db")
    )
    (mismatch_tree / "pyproject.toml").write_text("[tool.fixlint.fixture-scope]\nfix-to = 'narrowest'\n")
    run_fixlint(mismatch_tree, "fix")
    assert '@pytest.fixture(scope="module")\ndef app' in (mismatch_tree / "tests/conftest.py").read_text()


def test_select_ignore_and_per_file_ignores(mismatch_tree: Path, run_fixlint) -> None:
    (mismatch_tree / "pyproject.toml").write_text("[tool.fixlint]\nignore = ['fixture-scope-mismatch']\n")
    assert run_fixlint(mismatch_tree, "check").exit_code == 0
    (mismatch_tree / "pyproject.toml").write_text(
        "[tool.fixlint]\nper-file-ignores = { 'tests/conftest.py' = ['fixture-scope'] }\n"
    )
    assert run_fixlint(mismatch_tree, "check").exit_code == 0
    (mismatch_tree / "pyproject.toml").write_text("[tool.fixlint]\nselect = ['fixture-duplicate']\n")
    assert run_fixlint(mismatch_tree, "check").exit_code == 0
    assert run_fixlint(mismatch_tree, "check", "--rule", "fixture-scope-mismatch").exit_code == 1
    assert run_fixlint(mismatch_tree, "check", "--ignore", "fixture-scope").exit_code == 0


AUTOUSE, MISMATCH = "fixture-autouse-mixed", "fixture-scope-mismatch"
AUTOUSE_MIXED = (
    "\n\n@pytest.fixture(scope='session', autouse=True)\ndef a():\n    yield\n\n"
    "@pytest.fixture(autouse=True)\ndef b():\n    yield\n"
)


@pytest.mark.parametrize(
    "pyproject, args, rules",
    [
        ("", (), [MISMATCH]),  # fixture-autouse-mixed is off by default
        ("[tool.fixlint]\nextend-select = ['fixture-autouse-mixed']\n", (), [AUTOUSE, MISMATCH]),
        ("", ("--extend-select", "fixture-autouse-mixed"), [AUTOUSE, MISMATCH]),
        (
            "[tool.fixlint]\nselect = ['fixture-duplicate']\nextend-select = ['fixture-autouse-mixed']\n",
            (),
            [AUTOUSE],
        ),
        ("[tool.fixlint]\nselect = ['fixture-duplicate']\n", ("--extend-select", "fixture-autouse-mixed"), [AUTOUSE]),
        # --rule replaces the config's selection, its extend-select too, as ruff's --select does.
        (
            "[tool.fixlint]\nextend-select = ['fixture-autouse-mixed']\n",
            ("--rule", "fixture-scope-mismatch"),
            [MISMATCH],
        ),
        (
            "[tool.fixlint]\nextend-select = ['fixture-autouse-mixed']\nignore = ['fixture-autouse-mixed']\n",
            (),
            [MISMATCH],
        ),
        ("", ("--extend-select", "fixture-autouse-mixed", "--ignore", "fixture-scope-mismatch"), [AUTOUSE]),
    ],
)
def test_extend_select_adds_a_rule_beside_the_selection(
    mismatch_tree: Path, run_fixlint, pyproject: str, args: tuple[str, ...], rules: list[str]
) -> None:
    with (mismatch_tree / "tests/conftest.py").open("a") as conftest:
        conftest.write(AUTOUSE_MIXED)
    if pyproject:
        (mismatch_tree / "pyproject.toml").write_text(pyproject)
    result = run_fixlint(mismatch_tree, "check", "--format", "json", *args)
    found = sorted(f["rule"] for f in json.loads(result.stdout))
    assert found == rules, result.output


def test_extend_select_names_are_checked(mismatch_tree: Path, run_fixlint) -> None:
    (mismatch_tree / "pyproject.toml").write_text("[tool.fixlint]\nextend-select = ['nope']\n")
    result = run_fixlint(mismatch_tree, "check")
    assert result.exit_code == 2
    assert "[tool.fixlint] `extend-select`: unknown rule or family `nope`" in result.stderr
    (mismatch_tree / "pyproject.toml").unlink()
    result = run_fixlint(mismatch_tree, "check", "--extend-select", "nope")
    assert result.exit_code == 2 and "--extend-select: unknown rule or family `nope`" in result.stderr


def test_exclude_glob(mismatch_tree: Path, run_fixlint) -> None:
    (mismatch_tree / "pyproject.toml").write_text("[tool.fixlint]\nexclude = ['tests/conftest.py']\n")
    assert run_fixlint(mismatch_tree, "check").exit_code == 0


def test_rules_and_explain(run_fixlint, tmp_path: Path) -> None:
    listing = run_fixlint(tmp_path, "rules").stdout
    for rule in RULES.values():
        assert rule.name in listing and rule.family in listing
    row = next(line for line in listing.splitlines() if line.startswith("fixture-autouse-mixed "))
    assert row.split()[:4] == ["fixture-autouse-mixed", "fixture-scope", "off", "unsafe"]
    explained = run_fixlint(tmp_path, "explain", "fixture-scope-mismatch").stdout
    assert "## Why is this bad?" in explained and "## Fix safety" in explained
    assert run_fixlint(tmp_path, "explain", "nope").exit_code == 2


def test_version_and_help_on_every_command(run_fixlint, tmp_path: Path) -> None:
    assert __version__ in run_fixlint(tmp_path, "--version").stdout
    assert __version__ in run_fixlint(tmp_path, "-V").stdout
    for command in ("check", "fix", "rules", "explain"):
        assert run_fixlint(tmp_path, command, "--help").exit_code == 0


def test_no_python_files_is_a_warning_not_a_pass(run_fixlint, tmp_path: Path) -> None:
    """A folder without Python files, or a README named (pre-commit passes what it is given):
    warned on stderr, on a cold run and on a warm one, as ruff does."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "README.md").write_text("# notes\n")
    for target in ("docs", "README.md", "README.md"):  # the last one answered by the run cache
        result = run_fixlint(tmp_path, "check", target)
        assert result.exit_code == 0
        assert f"warning: No Python files found under {target}" in result.stderr, result.stderr
    (tmp_path / "docs" / "test_x.py").write_text("def test_x():\n    pass\n")
    assert "No Python files" not in run_fixlint(tmp_path, "check", "docs").stderr


def test_python_dash_m_and_console_script(mismatch_tree: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "fixlint", "check", "--quiet"], cwd=mismatch_tree, capture_output=True, text=True
    )
    assert completed.returncode == 1 and "fixture-scope-mismatch" in completed.stdout


def test_output_to_a_closed_pipe_ends_quietly(mismatch_tree: Path) -> None:
    """`fixlint check | head -1` on a long report: the reader leaves, and fixlint ends with no
    traceback (as ruff does), with the status of the findings."""
    process = subprocess.Popen(
        [sys.executable, "-m", "fixlint", "check"], cwd=mismatch_tree, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    process.stdout.close()  # before fixlint has written anything: it is still starting
    stderr = process.stderr.read().decode()
    assert process.wait() == 1
    assert stderr == ""


def test_readme_documents_every_rule() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    for rule in RULES.values():
        fix = rule.fix.value if rule.fix else "none"
        row = f"| `{rule.name}` | {rule.family} | {'on' if rule.default_enabled else 'off'} | {fix} | {rule.summary} |"
        assert row in readme, f"README's rule table is out of date for {rule.name}"


def test_unreadable_input_is_reported_and_the_rest_checked(mismatch_tree: Path, run_fixlint) -> None:
    (mismatch_tree / "tests/test_dangling.py").symlink_to(mismatch_tree / "nowhere.py")
    (mismatch_tree / "tests/loop").mkdir()
    (mismatch_tree / "tests/loop/again").symlink_to(mismatch_tree / "tests", target_is_directory=True)
    (mismatch_tree / "tests/test_dir.py").mkdir()
    result = run_fixlint(mismatch_tree, "check", "--format", "json")
    found = sorted((f["rule"], f["path"]) for f in json.loads(result.stdout))
    assert ("fixture-scope-mismatch", "tests/conftest.py") in found
    assert ("io-error", "tests/test_dangling.py") in found
    assert ("io-error", "tests/loop/again") in found
    assert result.exit_code == 1


def test_readme_configuration_example_is_accepted(tmp_path: Path, run_fixlint) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    example = readme.split("## Configuration", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    make_tree(tmp_path, {"pyproject.toml": example, "test_ok.py": "def test_ok():\n    pass\n"})
    result = run_fixlint(tmp_path, "check")
    assert result.exit_code == 0, result.output


def test_timings_name_each_phase_and_rule_and_add_up(mismatch_tree: Path, run_fixlint) -> None:
    """``--timings``: on stderr, the seconds of each piece of the run, the shared fixture analysis
    apart from the rule that asked for it first; the findings are those of a run without it."""
    args = ("check", "--no-cache", "--rule", "fixture-scope-mismatch", "--rule", "import-unresolved", "tests")
    plain = run_fixlint(mismatch_tree, *args)
    timed = run_fixlint(mismatch_tree, *args, "--timings")
    assert timed.stdout == plain.stdout and timed.exit_code == plain.exit_code == 1
    seconds = {}
    for line in timed.stderr.splitlines():
        matched = re.fullmatch(r"fixlint: timings: +([0-9.]+) s  (.+)", line)
        assert matched, line
        seconds[matched[2]] = float(matched[1])
    pieces = {name: value for name, value in seconds.items() if name != "total"}
    assert {
        "walk",
        "per-file pass",
        "project load",
        "tests and holders",
        "fixture analysis",
        "imported modules",
        "rule fixture-scope-mismatch",
        "rule import-unresolved",
        "filters and suppressions",
    } <= set(pieces), timed.stderr
    assert list(seconds.values()) == sorted(pieces.values(), reverse=True) + [seconds["total"]]
    assert abs(sum(pieces.values()) - seconds["total"]) < 0.01
    cached = [arg for arg in args if arg != "--no-cache"]
    assert "the run cache answered" not in run_fixlint(mismatch_tree, *cached, "--timings").stderr
    assert "the run cache answered" in run_fixlint(mismatch_tree, *cached, "--timings").stderr
