"""One harness over every case under tests/fixtures/<rule-name>/<case>/.

A case is a tree (with its own pytest.ini) plus:
  expected.findings   the findings of that rule alone, one a line: "<path>:<line>:<col> <rule> <message>"
  after/              the files `fixlint fix` changes, as they must read afterwards
  after-unsafe/       the same for `fixlint fix --unsafe-fixes`, when it differs
  options.toml        fixlint settings for the case (passed with --config)
  RUNNABLE            the tree's tests pass under real pytest, and must still pass after each fix
Cases named ok_* must have no finding and stay byte-identical under every fix.
FIXLINT_REGENERATE=1 rewrites the expected files from what fixlint does; the diff is the review.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import libcst
import pytest

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTATIONS = {"expected.findings", "after", "after-unsafe", "options.toml", "RUNNABLE"}
REGENERATE = os.environ.get("FIXLINT_REGENERATE") == "1"
CASES = sorted(
    case for rule_dir in FIXTURES.iterdir() if rule_dir.is_dir() for case in rule_dir.iterdir() if case.is_dir()
) if FIXTURES.is_dir() else []


def copy_input(case: Path, target: Path) -> Path:
    tree = target / "tree"
    shutil.copytree(case, tree, ignore=lambda folder, names: [n for n in names if Path(folder) == case and n in EXPECTATIONS])
    return tree


def snapshot(tree: Path) -> dict[str, bytes]:
    return {p.relative_to(tree).as_posix(): p.read_bytes() for p in sorted(tree.rglob("*")) if p.is_file()}


def config_args(case: Path) -> list[str]:
    options = case / "options.toml"
    return ["--config", str(options)] if options.is_file() else []


def findings_lines(run_fixlint, tree: Path, rule: str, case: Path) -> list[str]:
    result = run_fixlint(tree, "check", "--rule", rule, "--format", "json", "--exit-zero", *config_args(case), ".")
    assert result.exit_code == 0, result.output
    found = sorted(json.loads(result.stdout), key=lambda f: (f["path"], f["line"], f["column"], f["message"]))
    return [f"{f['path']}:{f['line']}:{f['column']} {f['rule']} {f['message']}" for f in found]


def check_fix(run_fixlint, case: Path, tmp: Path, rule: str, unsafe: bool) -> dict[str, bytes]:
    tree = copy_input(case, tmp / ("unsafe" if unsafe else "safe"))
    before = snapshot(tree)
    flags = ["--unsafe-fixes"] if unsafe else []
    run_fixlint(tree, "fix", "--rule", rule, *flags, *config_args(case), ".")
    after = snapshot(tree)
    for name, data in after.items():
        if name.endswith(".py") and data != before.get(name):
            libcst.parse_module(data)  # every changed file parses
    second = run_fixlint(tree, "fix", "--rule", rule, *flags, "--diff", *config_args(case), ".")
    assert "+++" not in second.stdout, f"a second fix would change more:\n{second.stdout}"
    return {name: data for name, data in after.items() if data != before.get(name)}


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_case(case: Path, tmp_path: Path, run_fixlint) -> None:
    rule = case.parent.name
    tree = copy_input(case, tmp_path)
    found = findings_lines(run_fixlint, tree, rule, case)
    expected_file = case / "expected.findings"
    if REGENERATE:
        expected_file.write_text("".join(line + "\n" for line in found))
    expected = expected_file.read_text().splitlines() if expected_file.is_file() else []
    assert found == expected
    if case.name.startswith("ok_"):
        assert not found
    for unsafe, folder in ((False, "after"), (True, "after-unsafe")):
        changed = check_fix(run_fixlint, case, tmp_path, rule, unsafe)
        expected_dir = case / folder
        if REGENERATE:
            shutil.rmtree(expected_dir, ignore_errors=True)
            safe_changes = check_fix(run_fixlint, case, tmp_path / "regen", rule, False) if unsafe else None
            if changed and changed != safe_changes:
                for name, data in changed.items():
                    (expected_dir / name).parent.mkdir(parents=True, exist_ok=True)
                    (expected_dir / name).write_bytes(data)
        if not expected_dir.is_dir() and unsafe:
            expected_dir = case / "after"  # unsafe fixes change nothing more than safe ones here
        expected_changes = snapshot(expected_dir) if expected_dir.is_dir() else {}
        assert changed == expected_changes, f"{folder} differs"


SCOPE_RULES = {"fixture-scope-mismatch", "fixture-loop-scope"}


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.parent.name in SCOPE_RULES and any(c.rglob("test_*.py"))],
    ids=lambda c: f"{c.parent.name}/{c.name}",
)
def test_pytest_agrees(case: Path, tmp_path: Path, run_fixlint) -> None:
    """Real pytest raises ScopeMismatch in a case iff fixlint reports one, and none after `fix`."""
    rule = case.parent.name
    tree = copy_input(case, tmp_path)
    found = findings_lines(run_fixlint, tree, rule, case)
    assert ("ScopeMismatch" in run_pytest(tree)) == bool(found)
    if any("is dynamic" in line for line in found):
        return  # no fix for a dynamic scope: what pytest does depends on the callable
    run_fixlint(tree, "fix", "--rule", rule, "--unsafe-fixes", *config_args(case), ".")
    output = run_pytest(tree)
    assert "ScopeMismatch" not in output, output


def run_pytest(tree: Path) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-W", "ignore::DeprecationWarning"],
        cwd=tree, capture_output=True, text=True, timeout=120,
    )
    return completed.stdout + completed.stderr


@pytest.mark.parametrize("case", [c for c in CASES if (c / "RUNNABLE").is_file()], ids=lambda c: f"{c.parent.name}/{c.name}")
def test_runnable_tree_still_passes_after_fix(case: Path, tmp_path: Path, run_fixlint) -> None:
    rule = case.parent.name
    tree = copy_input(case, tmp_path)
    assert_pytest_passes(tree, "before any fix")
    for flags in ((), ("--unsafe-fixes",)):
        run_fixlint(tree, "fix", "--rule", rule, *flags, *config_args(case), ".")
        assert_pytest_passes(tree, f"after fix {' '.join(flags)}")
    left = json.loads(run_fixlint(tree, "check", "--rule", rule, "--format", "json", "--unsafe-fixes", *config_args(case), ".").stdout)
    assert not [f for f in left if f["fix"]], "fixable findings left after fix --unsafe-fixes"


def assert_pytest_passes(tree: Path, when: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"], cwd=tree, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, f"{when}:\n{completed.stdout}\n{completed.stderr}"
