"""One harness over every rule's cases (tests/cases/<rule-name>/) and every rule's docstring examples.

A case is one module or one tree, named ok_* (no finding, every fix leaves it byte-identical) or
bad_* (reported). It runs through the real CLI with its folder's rule alone selected.

  ok_<case>.py, bad_<case>.py   a module, checked in a tree of its own beside DEFAULT_INI
    bad_<case>.findings         its findings, one a line: "<line>:<col> <rule> <message>"
    bad_<case>.fixed.py         the module after `fixlint fix`, when that changes it
    bad_<case>.unsafe.py        the module after `fixlint fix --unsafe-fixes`, when that differs from .fixed.py
    <case>.runnable             marker: pytest passes on the case before and after each fix (a bad
                                case of a scope rule fails before: after `fix --unsafe-fixes`)
    <case>.also_select          rules selected beside the folder's, one a line
  ok_<case>/, bad_<case>/       a tree (conftest chain, helper package, its own pytest.ini), with
    expected.findings           "<path>:<line>:<col> <rule> <message>", paths relative to the tree
    after/, after-unsafe/       the files `fix` and `fix --unsafe-fixes` change, as they must read
    RUNNABLE, ALSO_SELECT       the markers above; options.toml, the tree's own settings
  options.toml                  fixlint settings (passed with --config) for the cases beside it
  README.md                     what the folder cannot express, and where that is tested
A file `<name>.symlink` becomes, in the copy, a symlink `<name>` to the path it holds.
A case with more rules selected reports the findings of all of them: its expected files list them.

FIXLINT_REGENERATE=1 rewrites the expected files from what fixlint does; the diff is the review.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import libcst
import pytest

from fixlint.rules.base import Example
from fixlint.rules.registry import RULES

CASES_DIR = Path(__file__).parent / "cases"
REGENERATE = os.environ.get("FIXLINT_REGENERATE") == "1"
# A single module is a test module under its case name.
DEFAULT_INI = "[pytest]\npython_files = ok_*.py bad_*.py\n"
TREE_EXPECTATIONS = {"expected.findings", "after", "after-unsafe", "options.toml", "RUNNABLE", "ALSO_SELECT"}
MODULE_SIDECARS = (".findings", ".fixed.py", ".unsafe.py", ".runnable", ".also_select")
SCOPE_RULES = {"fixture-scope-mismatch", "fixture-loop-scope"}


@dataclass(frozen=True)
class Case:
    rule: str
    path: Path  # the module (or its .symlink) or the tree

    @property
    def is_tree(self) -> bool:
        return self.path.is_dir()

    @property
    def name(self) -> str:
        return self.path.name.removesuffix(".symlink").removesuffix(".py")

    @property
    def module(self) -> str:
        """The name of the module in the copy."""
        return self.name + ".py"

    def beside(self, suffix: str) -> Path:
        return self.path.parent / (self.name + suffix)

    def marker(self, tree_name: str, suffix: str) -> Path:
        return self.path / tree_name if self.is_tree else self.beside(suffix)

    @property
    def runnable(self) -> bool:
        return self.marker("RUNNABLE", ".runnable").is_file()

    @property
    def selection(self) -> str:
        also = self.marker("ALSO_SELECT", ".also_select")
        return ",".join([self.rule, *(also.read_text().split() if also.is_file() else [])])

    @property
    def config_args(self) -> list[str]:
        own = self.path / "options.toml"
        options = own if own.is_file() else self.path.parent / "options.toml"
        return ["--config", str(options)] if options.is_file() else []

    @property
    def findings_file(self) -> Path:
        return self.path / "expected.findings" if self.is_tree else self.beside(".findings")

    def changes_place(self, unsafe: bool) -> Path:
        if self.is_tree:
            return self.path / ("after-unsafe" if unsafe else "after")
        return self.beside(".unsafe.py" if unsafe else ".fixed.py")

    def copy_to(self, target: Path) -> Path:
        tree = target / "tree"
        if self.is_tree:
            shutil.copytree(
                self.path,
                tree,
                ignore=lambda folder, names: [n for n in names if Path(folder) == self.path and n in TREE_EXPECTATIONS],
            )
        else:
            tree.mkdir(parents=True)
            (tree / "pytest.ini").write_text(DEFAULT_INI)
            shutil.copy(self.path, tree / self.path.name)
        for marker in sorted(tree.rglob("*.symlink")):
            target_path = marker.read_text().strip()
            marker.unlink()
            marker.with_name(marker.name.removesuffix(".symlink")).symlink_to(target_path)
        return tree

    def format_finding(self, finding: dict) -> str:
        where = f"{finding['line']}:{finding['column']}"
        if self.is_tree or finding["path"] != self.module:
            where = f"{finding['path']}:{where}"
        return f"{where} {finding['rule']} {finding['message']}"

    def expected_findings(self) -> list[str]:
        return self.findings_file.read_text().splitlines() if self.findings_file.is_file() else []

    def expected_changes(self, unsafe: bool) -> dict[str, bytes]:
        place = self.changes_place(unsafe)
        if unsafe and not place.exists():
            place = self.changes_place(False)  # unsafe fixes change nothing more than safe ones here
        if self.is_tree:
            return snapshot(place) if place.is_dir() else {}
        return {self.module: place.read_bytes()} if place.is_file() else {}

    def regenerate(self, found: list[str], safe: dict[str, bytes], unsafe: dict[str, bytes]) -> None:
        self.findings_file.unlink(missing_ok=True)
        if found:
            self.findings_file.write_text("".join(line + "\n" for line in found))
        for is_unsafe, changes in ((False, safe), (True, unsafe)):
            place = self.changes_place(is_unsafe)
            if place.is_dir():
                shutil.rmtree(place)
            place.unlink(missing_ok=True)
            if not changes or (is_unsafe and changes == safe):
                continue
            if not self.is_tree:
                assert set(changes) == {self.module}, f"a one-module case changed other files: {sorted(changes)}"
                place.write_bytes(changes[self.module])
                continue
            for name, data in changes.items():
                (place / name).parent.mkdir(parents=True, exist_ok=True)
                (place / name).write_bytes(data)


def is_case_input(path: Path) -> bool:
    if not path.name.startswith(("ok_", "bad_")):
        return False
    if path.is_dir():
        return True
    return path.name.endswith((".py", ".py.symlink")) and not path.name.endswith((".fixed.py", ".unsafe.py"))


def all_cases() -> list[Case]:
    if not CASES_DIR.is_dir():
        return []
    return [
        Case(folder.name, path)
        for folder in sorted(CASES_DIR.iterdir())
        if folder.is_dir()
        for path in sorted(folder.iterdir())
        if is_case_input(path)
    ]


CASES = all_cases()


def case_params(cases: list[Case]) -> list:
    return [pytest.param(case, id=f"{case.rule}/{case.name}") for case in cases]


def snapshot(tree: Path) -> dict[str, bytes]:
    """Every file under ``tree`` by its relative path, but the bytecode pytest writes."""
    return {
        p.relative_to(tree).as_posix(): p.read_bytes()
        for p in sorted(tree.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def findings(run_fixlint, tree: Path, case: Case) -> list[str]:
    result = run_fixlint(
        tree, "check", "--rule", case.selection, "--format", "json", "--exit-zero", *case.config_args, "."
    )
    assert result.exit_code == 0, result.output
    found = sorted(json.loads(result.stdout), key=lambda f: (f["path"], f["line"], f["column"], f["message"]))
    return [case.format_finding(f) for f in found]


def fix(run_fixlint, tree: Path, case: Case, unsafe: bool) -> None:
    """`fixlint fix`; what it leaves must offer no fix it could apply, unless it declined that fix and said why."""
    flags = ["--unsafe-fixes"] if unsafe else []
    result = run_fixlint(
        tree, "fix", "--rule", case.selection, *flags, "--format", "json", "--exit-zero", *case.config_args, "."
    )
    assert result.exit_code == 0, result.output
    left = json.loads(result.stdout)
    fixable = [f for f in left if f["fix"] and (unsafe or f["fix"]["applicability"] == "safe")]
    listing = "\n".join(case.format_finding(f) for f in fixable)
    assert not fixable, f"fix {' '.join(flags)} left fixable findings:\n{listing}"


def fixed_changes(run_fixlint, case: Case, target: Path, unsafe: bool) -> dict[str, bytes]:
    """The files a fix changes, as it leaves them: each parses, and a second fix changes nothing."""
    tree = case.copy_to(target)
    before = snapshot(tree)
    fix(run_fixlint, tree, case, unsafe)
    after = snapshot(tree)
    changes = {name: data for name, data in after.items() if data != before.get(name)}
    for name, data in changes.items():
        if name.endswith(".py"):
            libcst.parse_module(data)
    flags = ["--unsafe-fixes"] if unsafe else []
    second = run_fixlint(tree, "fix", "--rule", case.selection, *flags, "--diff", *case.config_args, ".")
    assert second.exit_code == 0 and "+++" not in second.stdout, f"a second fix would change more:\n{second.output}"
    assert snapshot(tree) == after
    return changes


@pytest.mark.parametrize("case", case_params(CASES))
def test_case(case: Case, tmp_path: Path, run_fixlint) -> None:
    found = findings(run_fixlint, case.copy_to(tmp_path / "check"), case)
    safe = fixed_changes(run_fixlint, case, tmp_path / "safe", unsafe=False)
    unsafe = fixed_changes(run_fixlint, case, tmp_path / "unsafe", unsafe=True)
    if REGENERATE:
        case.regenerate(found, safe, unsafe)
    assert found == case.expected_findings()
    assert safe == case.expected_changes(unsafe=False), "the safe fix's output differs from the expected one"
    assert unsafe == case.expected_changes(unsafe=True), "the unsafe fix's output differs from the expected one"
    if case.name.startswith("ok_"):
        assert not found and not safe and not unsafe
    else:
        assert any(f" {case.rule} " in line for line in found), f"{case.name} is not reported by {case.rule}"


def test_every_rule_has_a_folder_with_a_bad_case() -> None:
    folders = {path.name for path in CASES_DIR.iterdir() if path.is_dir()}
    assert folders == set(RULES), (
        f"not rules: {sorted(folders - set(RULES))}; no folder: {sorted(set(RULES) - folders)}"
    )
    for rule in RULES:
        assert any(case.rule == rule and case.name.startswith("bad_") for case in CASES), f"{rule} has no bad_ case"


def test_every_file_of_a_folder_belongs_to_a_case() -> None:
    """A renamed case leaves no expected file behind, and a misspelt one is not silently skipped."""
    names = {(case.rule, case.name) for case in CASES}
    for folder in (path for path in CASES_DIR.iterdir() if path.is_dir()):
        for path in folder.iterdir():
            if is_case_input(path) or path.name in ("options.toml", "README.md"):
                continue
            sidecar = next((suffix for suffix in MODULE_SIDECARS if path.name.endswith(suffix)), None)
            assert sidecar and (folder.name, path.name.removesuffix(sidecar)) in names, f"{path} belongs to no case"


# Without hypothesis's plugin, which no case uses, pytest starts three times faster.
PYTEST_ARGS = ["-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-q", "-W", "ignore::DeprecationWarning"]


def run_pytest(tree: Path) -> subprocess.CompletedProcess:
    """pytest in the tree, and apart in each folder below with a pytest.ini of its own: fixlint
    judges each test under the nearest ini file above it, as a run from that folder does (the
    tree's own ini keeps the run at its top out of them, with ``testpaths``). One result: the
    outputs joined, the worst exit code."""
    command = [sys.executable, "-m", "pytest", *PYTEST_ARGS]
    folders = [tree, *sorted(ini.parent for ini in tree.rglob("*/pytest.ini"))]
    runs = [subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120) for folder in folders]
    return subprocess.CompletedProcess(
        command,
        max(run.returncode for run in runs),
        "".join(run.stdout for run in runs),
        "".join(run.stderr for run in runs),
    )


@pytest.mark.parametrize("case", case_params([case for case in CASES if case.rule in SCOPE_RULES]))
def test_pytest_agrees(case: Case, tmp_path: Path, run_fixlint) -> None:
    """Real pytest raises ScopeMismatch in a case iff fixlint reports one, and none after `fix`."""
    tree = case.copy_to(tmp_path)
    found = findings(run_fixlint, tree, case)
    output = run_pytest(tree)
    raised = "ScopeMismatch" in output.stdout + output.stderr
    assert raised == any("ScopeMismatch" in line for line in found), output.stdout
    if any("is dynamic" in line for line in found):
        return  # no fix for a dynamic scope: what pytest does depends on the callable
    before = snapshot(tree)
    fix(run_fixlint, tree, case, unsafe=True)
    if snapshot(tree) != before:  # the same files give the same run
        output = run_pytest(tree)
    assert "ScopeMismatch" not in output.stdout + output.stderr, output.stdout


@pytest.mark.parametrize("case", case_params([case for case in CASES if case.runnable]))
def test_runnable_case_passes_before_and_after_fix(case: Case, tmp_path: Path, run_fixlint) -> None:
    tree = case.copy_to(tmp_path)
    tested: Optional[dict[str, bytes]] = None
    runs = (("before any fix", None), ("after fix", False), ("after fix --unsafe-fixes", True))
    if case.rule in SCOPE_RULES and case.name.startswith("bad_"):
        runs = runs[2:]  # pytest raises ScopeMismatch until the fix (test_pytest_agrees checks it)
    for when, unsafe in runs:
        if unsafe is not None:
            fix(run_fixlint, tree, case, unsafe)
        if snapshot(tree) == tested:
            continue  # the same files give the same run
        tested = snapshot(tree)
        completed = run_pytest(tree)
        assert completed.returncode == 0, f"{when}:\n{completed.stdout}\n{completed.stderr}"


# -- every rule's docstring examples --------------------------------------------------------------

EXAMPLES = [
    pytest.param(rule_name, example, id=f"{rule_name}-{index}")
    for rule_name, rule in RULES.items()
    for index, example in enumerate(rule.examples)
]
# Rules whose examples need more than files; their tests say how they are covered.
WITHOUT_EXAMPLES = {"io-error": "needs unreadable paths and symlinks: tests/cases/io-error and tests/test_cli.py"}


def write_example(root: Path, example: Example) -> None:
    (root / "pytest.ini").write_text(example.ini or "[pytest]\n")
    for relative, source in example.files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)


def example_findings(run_fixlint, root: Path, rule: str, example: Example) -> list[dict]:
    selection = ",".join((rule, *example.also_select))
    result = run_fixlint(root, "check", "--rule", selection, "--format", "json", "--exit-zero", ".")
    assert result.exit_code == 0, result.output
    return [finding for finding in json.loads(result.stdout) if finding["rule"] == rule]


def test_every_rule_has_examples_and_docs() -> None:
    for rule in RULES.values():
        assert rule.examples or rule.name in WITHOUT_EXAMPLES, f"{rule.name} has no examples"
        for section in ("## What it does", "## Why is this bad?", "## Fix safety"):
            assert section in (rule.__doc__ or ""), f"{rule.name} docs lack {section}"


@pytest.mark.parametrize("rule_name, example", EXAMPLES)
def test_example(tmp_path: Path, run_fixlint, rule_name: str, example: Example) -> None:
    write_example(tmp_path, example)
    selection = ",".join((rule_name, *example.also_select))
    found = sorted(
        f"{f['path']}:{f['line']} {f['rule']}" for f in example_findings(run_fixlint, tmp_path, rule_name, example)
    )
    assert found == sorted(example.expected)
    paths = {*example.files, *(example.fixed or {})}
    before = {p: (tmp_path / p).read_text() for p in example.files}
    if example.fixed is not None:
        applicability = (example.applicability or RULES[rule_name].fix).value
        fixes = [f["fix"] for f in example_findings(run_fixlint, tmp_path, rule_name, example) if f["fix"]]
        assert fixes and all(fix["applicability"] == applicability for fix in fixes)
    run_fixlint(tmp_path, "fix", "--unsafe-fixes", "--rule", selection, ".")
    expected = {**before, **(example.fixed or {})}
    assert {p: (tmp_path / p).read_text() for p in paths} == expected
    assert not [f for f in example_findings(run_fixlint, tmp_path, rule_name, example) if f["fix"]]
    files = snapshot(tmp_path)
    second = run_fixlint(tmp_path, "fix", "--unsafe-fixes", "--rule", selection, "--diff", ".")
    assert second.exit_code == 0 and "+++" not in second.stdout and snapshot(tmp_path) == files


@pytest.mark.parametrize(
    "rule_name, example",
    [
        param
        for param in EXAMPLES
        if param.values[0] in SCOPE_RULES and any(p.startswith("test_") for p in param.values[1].files)
    ],
)
def test_pytest_confirms_example(tmp_path: Path, run_fixlint, rule_name: str, example: Example) -> None:
    """pytest raises ScopeMismatch exactly where the example expects a finding, and not after the fix."""
    write_example(tmp_path, example)
    before = run_pytest(tmp_path)
    assert ("ScopeMismatch" in before.stdout + before.stderr) == bool(example.expected), before.stdout
    if example.fixed is not None:
        run_fixlint(tmp_path, "fix", "--unsafe-fixes", "--rule", ",".join((rule_name, *example.also_select)), ".")
        after = run_pytest(tmp_path)
        assert "ScopeMismatch" not in after.stdout + after.stderr and " passed" in after.stdout, after.stdout
