"""The real-suites kit's own logic that needs no suite: which requirements make a suite's
environment, which tests a fix's run-time check runs, and how pytest's JUnit XML is read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import real_suites  # noqa: E402

PYPROJECT = """\
[project]
name = "Agent_Kit"
dependencies = ["httpx>=0.27"]

[project.optional-dependencies]
mcp = ["mcp>=1"]
dev = ["pytest==9.1.1", "agent-kit[mcp]", "agent_kit[slack,mcp]"]
slack = ["slack-sdk; python_version >= '3.9'"]
unused = ["never"]

[dependency-groups]
lint = ["ruff"]
test = ["pytest-asyncio", {include-group = "lint"}]
"""


def test_extras_expand_self_references_and_groups_include_groups(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(PYPROJECT)
    reqs = real_suites._project_requirements(pyproject, {"extras": ["dev"], "groups": ["test"]})
    # `agent-kit[mcp]` names the project itself (names compared as pip does): its dependencies
    # and that extra, never a package of that name from the index.
    assert sorted(reqs) == sorted(
        ["pytest==9.1.1", "httpx>=0.27", "mcp>=1", "slack-sdk; python_version >= '3.9'", "pytest-asyncio", "ruff"]
    )
    assert real_suites._project_requirements(pyproject, {"project": True}) == ["httpx>=0.27"]


def test_requirement_files_keep_requirements_only() -> None:
    text = "# pinned\nfastapi>=0.116  # web\n-r other.txt\n--index-url x\n\npytest-asyncio>=1.1.0\n"
    assert real_suites._requirement_lines(text) == ["fastapi>=0.116", "pytest-asyncio>=1.1.0"]


def test_tests_to_run_takes_edited_tests_and_a_sample_below_an_edited_conftest(tmp_path: Path) -> None:
    for rel in ["lib/tests/test_a.py", "lib/tests/unit/test_b.py", "lib/tests/unit/test_c.py", "lib/other/test_d.py"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("def test_x():\n    pass\n")
    changed = ["lib/tests/test_a.py", "lib/tests/unit/conftest.py", "elsewhere/test_e.py"]
    collected = {"tests/test_a.py", "tests/unit/test_b.py", "tests/unit/test_c.py", "other/test_d.py"}
    assert real_suites.tests_to_run(changed, str(tmp_path), "lib", 0, 10, collected) == (
        ["tests/test_a.py", "tests/unit/test_b.py", "tests/unit/test_c.py"],
        0,
    )
    picked, _ = real_suites.tests_to_run(changed, str(tmp_path), "lib", 0, 2, collected)
    assert picked[0] == "tests/test_a.py" and len(picked) == 2 and picked[1].startswith("tests/unit/")


def test_tests_to_run_leaves_out_files_that_gave_no_test_before_the_fix(tmp_path: Path) -> None:
    # A folder whose conftest does not import in the suite's environment collects nothing: its
    # files would run no test before or after, so the sample takes the files that collected.
    for rel in ["tests/broken/test_a.py", "tests/broken/test_b.py", "tests/ok/test_c.py", "tests/ok/test_d.py"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("def test_x():\n    pass\n")
    changed = ["tests/broken/test_a.py", "tests/conftest.py"]
    collected = {"tests/ok/test_c.py", "tests/ok/test_d.py"}
    assert real_suites.tests_to_run(changed, str(tmp_path), ".", 0, 5, collected) == (sorted(collected), 2)
    picked, _ = real_suites.tests_to_run(changed, str(tmp_path), ".", 0, 1, collected)
    assert len(picked) == 1 and picked[0] in collected
    assert real_suites.tests_to_run(changed, str(tmp_path), ".", 0, 5, set()) == ([], 4)


def test_a_run_that_gave_tests_before_the_fix_and_none_after_is_a_regression() -> None:
    # The root conftest no longer imports: pytest stops that run before collecting any file.
    before = {"per_root": {".": (569, []), "svc": (3, []), "empty": (0, ["no tests ran"])}}
    after = {"per_root": {".": (0, ["E   ImportError: cannot import name `x`"]), "svc": (3, []), "empty": (0, [])}}
    assert real_suites.stopped_runs(before, after) == [
        (
            ".",
            "the run from here gave no test after the fix (569 files gave tests before); "
            "E   ImportError: cannot import name 'x'",
        )
    ]


def test_fix_warnings_name_paths_from_the_suites_root(tmp_path: Path) -> None:
    # fixlint, run in the service folder `svc`, shows the paths of the files outside it with ../
    # or in full; the report shows every path from the suite's root.
    for rel in ["svc/tests/test_a.py", "shared/helpers.py"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("")
    log = tmp_path / "run.log"
    log.write_text(
        "earlier: warning: not this run\n"
        "$ python -m fixlint fix .\n"
        "fixlint: warning: tests/test_a.py:3: fixture-scope: fix not applied: the fixed code would not parse\n"
        f"fixlint: warning: {tmp_path}/shared/helpers.py:9: mock-x: fix not applied (see a/b.py).\n"
        "fixlint: warning: 2 files use the syntax of Python 3.12 (../shared/helpers.py, ../gone.py)\n"
        "Fixed 3 findings.\n"
    )
    start = len("earlier: warning: not this run\n")
    assert real_suites.fix_warnings(str(log), {"log_start": start}, str(tmp_path), str(tmp_path / "svc")) == [
        "svc/tests/test_a.py:3: fixture-scope: fix not applied: the fixed code would not parse",
        "shared/helpers.py:9: mock-x: fix not applied (see a/b.py).",
        "2 files use the syntax of Python 3.12 (shared/helpers.py, ../gone.py)",
    ]


def test_junit_outcomes_read_what_pytest_wrote(tmp_path: Path) -> None:
    (tmp_path / "test_mixed.py").write_text(
        "import pytest\n\n"
        "@pytest.fixture\ndef broken():\n    raise RuntimeError\n\n"
        "def test_passes():\n    pass\n\n"
        "def test_fails():\n    assert False\n\n"
        "def test_errors(broken):\n    pass\n\n"
        "@pytest.mark.skip\ndef test_skipped():\n    pass\n"
    )
    xml = tmp_path / "out.xml"
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "junit_family=xunit1"]
        + ["--junitxml", str(xml), "test_mixed.py"],
        cwd=tmp_path,
        capture_output=True,
    )
    assert real_suites.junit_outcomes(str(xml)) == {
        "test_mixed::test_passes": "passed",
        "test_mixed::test_fails": "failed",
        "test_mixed::test_errors": "error",
        "test_mixed::test_skipped": "skipped",
    }
    assert real_suites.junit_outcomes(str(tmp_path / "missing.xml")) == {}


@pytest.mark.parametrize("version", ["{}.{}".format(*sys.version_info[:2])])
def test_find_python_finds_this_version(version: str) -> None:
    found = real_suites.find_python(version)
    out = subprocess.run([found, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], capture_output=True)
    assert out.stdout.decode().strip() == version


UV_LOCK = """\
version = 1

[[package]]
name = "fastapi"
version = "0.116.1"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "numpy"
version = "2.0.2"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "numpy"
version = "2.3.1"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "agent-kit"
version = "0.1.0"
source = { editable = "." }
"""


def test_lock_pins_take_one_version_per_package_from_an_index() -> None:
    # numpy: one version per Python, left to the date; the project itself is not from an index
    assert real_suites.lock_pins(UV_LOCK) == ["fastapi==0.116.1"]


def test_extraction_takes_code_config_and_small_data_files(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    files = {
        "pkg/__init__.py": "",
        "pkg/logging.yml": "version: 1\n",
        "pkg/schema.json": "{}",
        "pkg/big.json": "[" + "0," * real_suites.DATA_LIMIT + "0]",
        "pkg/logo.png": "not text",
        "setup.cfg": "[metadata]\n",
    }
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text)
    git = ["git", "-C", str(repo), "-c", "user.name=kit", "-c", "user.email=kit@example.invalid"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "files"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    out = tmp_path / "out"
    info = real_suites.extract(str(repo / ".git"), commit, str(out))
    taken = sorted(str(path.relative_to(out)) for path in out.rglob("*") if path.is_file())
    assert taken == [real_suites.MARKER, "pkg/__init__.py", "pkg/logging.yml", "pkg/schema.json", "setup.cfg"]
    assert (info["data_files"], info["data_too_big"]) == (2, 1)
    assert real_suites.extract(str(repo / ".git"), commit, str(out))["reused"]


def test_config_roots_are_the_folders_with_a_pytest_configuration_of_their_own(tmp_path: Path) -> None:
    files = {
        "pytest.ini": "[pytest]\ntestpaths = tests\n",
        "service/pytest.ini": "[pytest]\n",
        "service/tests/deep/pytest.ini": "[pytest]\n",
        "plugin/pyproject.toml": "[tool.pytest.ini_options]\naddopts = '-q'\n",
        "lib/pyproject.toml": "[project]\nname = 'lib'\n",
        ".venv/pkg/pytest.ini": "[pytest]\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    assert real_suites.config_roots(str(tmp_path)) == [".", "plugin", "service", "service/tests/deep"]


def test_fixlint_runs_with_the_suites_venv_once_it_is_made(tmp_path: Path) -> None:
    """check and fix name the suite's venv under --envs (`--config python=...`) once it is there;
    fixlint reads that setting as a user's (a relative --envs is made absolute first)."""
    args = real_suites.argparse.Namespace(envs=str(tmp_path / "envs"))
    suite = {"name": "shop"}
    assert real_suites.suite_python(suite, args) is None
    assert "--config" not in real_suites.fixlint_cmd("check", ".", python=None)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "envs" / "shop")], check=True)
    python = real_suites.suite_python(suite, args)
    assert python == str(tmp_path / "envs" / "shop")
    command = real_suites.fixlint_cmd("check", "--format", "json", ".", jobs=2, python=python)
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "test_shop.py").write_text("import shop_client\n\n\ndef test_shop():\n    pass\n")
    completed = subprocess.run(command, cwd=tree, capture_output=True, text=True)
    assert [finding["message"] for finding in real_suites.json.loads(completed.stdout)] == [
        "`import shop_client`: `shop_client` is not installed in ../envs/shop (`python` from --config)"
    ]


def test_a_message_on_several_lines_keeps_each_lines_verdict() -> None:
    finding = {"rule": "r", "path": "t.py", "message": "m"}
    existing = [
        dict(finding, line=3, verdict="", why=""),
        dict(finding, line=9, verdict="false", why="line nine's reason"),
    ]
    sampled = [dict(finding, line=3), dict(finding, line=9)]
    merged = real_suites.merge_judgments(existing, {"r": sampled}, sampled)
    assert sorted((entry["line"], entry["verdict"]) for entry in merged) == [(3, ""), (9, "false")]
