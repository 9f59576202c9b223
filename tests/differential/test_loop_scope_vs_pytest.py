"""fixture-loop-scope's findings and fixes against real pytest, on suites whose fixtures hold
loop-bound objects (a queue, an event, a client) that their tests use.

As generated, a test passes, or errors with ScopeMismatch where a fixture is broader than its
loop; fixlint reports exactly the fixtures pytest refuses. After `fixlint fix` no test that passed
fails; after `fixlint fix --unsafe-fixes` every test passes: the fix puts each fixture and the
tests that use it in one loop, which pytest's scope check alone does not demand. The rule's own
case trees must pass after the fix too.

FIXLINT_LOOP_TREES sets how many trees (default 6: CI's share), FIXLINT_LOOP_FIRST the first seed
(default 0); FIXLINT_LOOP_SEED=<n> replays one tree.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from loop_trees import LoopTree, batch_settings, generate
from pytest_oracle import is_pytest_internal, run_fixlint

TREES = int(os.environ.get("FIXLINT_LOOP_TREES", "6"))
FIRST = int(os.environ.get("FIXLINT_LOOP_FIRST", "0"))
BATCH = 6
REPLAY = os.environ.get("FIXLINT_LOOP_SEED")
SEEDS = [int(REPLAY)] if REPLAY else list(range(FIRST, FIRST + TREES))
BATCHES = [SEEDS[start : start + BATCH] for start in range(0, len(SEEDS), BATCH)]
CASES = Path(__file__).parent.parent / "cases" / "fixture-loop-scope"
RULE = "fixture-loop-scope"


def outcomes(root: Path, work: Path) -> dict[str, str]:
    """Per test (node id without parameters): "passed", "ScopeMismatch", "internal" (pytest's own
    assertion in a set-up after another test's ScopeMismatch) or the failure's text."""
    report = work / "junit.xml"
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--import-mode=importlib"]
        + ["-W", "ignore::pytest.PytestDeprecationWarning", f"--junitxml={report}"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode in (0, 1), completed.stdout + completed.stderr
    found: dict[str, str] = {}
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        test = f"{case.get('classname', '').replace('.', '/')}.py::{case.get('name', '').split('[')[0]}"
        problems = [child for child in case if child.tag in ("error", "failure")]
        text = " ".join((child.get("message") or "") + (child.text or "") for child in problems)
        if not problems:
            outcome = "passed"
        elif "ScopeMismatch" in text:
            outcome = "ScopeMismatch"
        else:
            outcome = "internal" if is_pytest_internal(problems[0].text or "") else text[-300:]
        if found.get(test, "passed") == "passed":
            found[test] = outcome
    return found


def render(root: Path, trees: dict[int, LoopTree], ini: str) -> None:
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    (root / "pytest.ini").write_text(ini)
    for seed, tree in trees.items():
        tree.render(root / f"t{seed}")


@pytest.mark.parametrize("seeds", BATCHES, ids=[f"seeds{b[0]}-{b[-1]}" for b in BATCHES])
def test_fixed_loops_run(seeds: list[int], tmp_path: Path) -> None:
    settings = batch_settings(random.Random(seeds[0] // BATCH * 104729))
    trees = {seed: generate(seed, settings) for seed in seeds}
    root = tmp_path / "trees"
    render(root, trees, settings.ini())
    replay = f"replay: FIXLINT_LOOP_SEED=<seed> (seeds {seeds}); trees in {root}"
    before = outcomes(root, tmp_path)
    odd = {test: outcome for test, outcome in before.items() if outcome not in ("passed", "ScopeMismatch", "internal")}
    assert not odd, f"generated trees fail otherwise: {odd}\n{replay}"
    checked = run_fixlint(root, "check", "--rule", RULE, "--format", "json", "--exit-zero", ".")
    reported = {(f["path"].split("/")[0], f["data"]["fixture"]) for f in json.loads(checked.stdout)}
    broken = {(f"t{seed}", name) for seed, tree in trees.items() for name in tree.broken}
    assert reported == broken, f"fixlint reports {sorted(reported)}, the trees break {sorted(broken)}\n{replay}"

    safe = run_fixlint(root, "fix", "--rule", RULE, ".")
    assert safe.returncode in (0, 1), safe.stderr
    after_safe = outcomes(root, tmp_path)
    worse = {t: o for t, o in after_safe.items() if o != "passed" and before.get(t) == "passed"}
    assert not worse, f"after fix (safe), tests that passed fail: {worse}\n{replay}"

    unsafe = run_fixlint(root, "fix", "--rule", RULE, "--unsafe-fixes", ".")
    assert unsafe.returncode in (0, 1), unsafe.stderr
    after = outcomes(root, tmp_path)
    failing = {test: outcome for test, outcome in after.items() if outcome != "passed"}
    assert not failing, f"after fix --unsafe-fixes: {failing}\n{unsafe.stderr}\n{replay}"
    assert set(after) == set(before), f"tests went missing: {sorted(set(before) - set(after))}"


TREE_CASES = sorted(path for path in CASES.iterdir() if path.is_dir() and path.name.startswith("bad_"))


@pytest.mark.parametrize("case", TREE_CASES, ids=[path.name for path in TREE_CASES])
def test_case_tree_runs_after_fix(case: Path, tmp_path: Path) -> None:
    """Each of the rule's case trees passes pytest once `fix --unsafe-fixes` has run on it."""
    tree = tmp_path / "tree"
    shutil.copytree(case, tree, ignore=shutil.ignore_patterns("after", "after-unsafe", "expected.findings"))
    also = tree / "ALSO_SELECT"
    rules = ",".join([RULE, *(also.read_text().split() if also.is_file() else [])])
    fixed = run_fixlint(tree, "fix", "--rule", rules, "--unsafe-fixes", ".")
    assert fixed.returncode in (0, 1), fixed.stderr
    after = outcomes(tree, tmp_path)
    assert after and all(outcome == "passed" for outcome in after.values()), after
