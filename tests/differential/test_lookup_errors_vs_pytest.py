"""fixture-cycle and fixture-not-found against real pytest, test by test, on random trees.

Each tree has a conftest, a sub-folder whose conftest overrides some of its fixtures, and test
modules that override some again; fixtures request each other (some their own name, some through
``request.getfixturevalue``), and names no fixture provides, or only a sibling folder's. pytest's
set-up error of each test ("recursive dependency involving fixture 'x' detected" or "fixture 'x'
not found") is the oracle: a test errors iff fixlint reports a failed lookup for it, and the name
pytest names is among those fixlint reports for it (pytest stops at a test's first error; past a
name not found, fixlint goes on, up to its first cycle). Some modules read, at import, a name
nothing binds (a base class whose import is missing): pytest never sets their tests up (a
NameError at collection), and fixlint reports none of them. One pytest run over all the trees: a
few seconds.

FIXLINT_LOOKUP_TREES sets how many trees (default 12); FIXLINT_LOOKUP_SEED=<n> replays one.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

from pytest_oracle import base_id, findings_of, run_fixlint

TREES = int(os.environ.get("FIXLINT_LOOKUP_TREES", "12"))
REPLAY = os.environ.get("FIXLINT_LOOKUP_SEED")
SEEDS = [int(REPLAY)] if REPLAY else list(range(TREES))
RULES = "fixture-cycle,fixture-not-found"
ERROR_RE = re.compile(r"(?:recursive dependency involving fixture '(\w+)' detected|fixture '(\w+)' not found)")
NAMES = [f"f{index}" for index in range(6)]
MISSING = ["gone", "elsewhere"]  # `elsewhere` is defined in a sibling folder only


def fixture_source(rng: random.Random, name: str, own: bool, getfixturevalue: bool) -> str:
    """A fixture that requests a few names; ``own``: its own name too (it overrides one)."""
    candidates = [other for other in NAMES if other != name]
    requests = rng.sample(candidates, rng.choice((0, 0, 0, 1, 1, 2)))
    if rng.random() < 0.08:
        requests.append(rng.choice(MISSING))
    if own:
        requests.append(name)
    body = "    return 1\n"
    if getfixturevalue and requests:
        dynamic = requests.pop()
        body = f"    request.getfixturevalue({dynamic!r})\n    return 1\n"
        requests.append("request")
    return f"@pytest.fixture\ndef {name}({', '.join(requests)}):\n{body}\n\n"


def module_source(rng: random.Random, overriding: list[str], root: bool = False) -> str:
    """Fixtures of a module; those that override one (not the root's) may request their own name."""
    source = "import pytest\n\n\n"
    for name in overriding:
        own = not root and rng.random() < 0.5
        source += fixture_source(rng, name, own=own, getfixturevalue=rng.random() < 0.2)
    return source


def generate(root: Path, seed: int) -> None:
    rng = random.Random(seed)
    tree = root / f"t{seed}"
    (tree / "sub").mkdir(parents=True)
    (tree / "side").mkdir()
    (tree / "__init__.py").write_text("")
    (tree / "conftest.py").write_text(module_source(rng, NAMES, root=True))
    for folder in ("sub", "side"):
        (tree / folder / "__init__.py").write_text("")
    (tree / "sub" / "conftest.py").write_text(module_source(rng, rng.sample(NAMES, 2)))
    (tree / "side" / "conftest.py").write_text(
        module_source(rng, []) + "@pytest.fixture\ndef elsewhere():\n    return 1\n"
    )
    for folder in (tree, tree / "sub", tree / "side"):
        for module in range(2):
            source = module_source(rng, rng.sample(NAMES, rng.choice((0, 1))))
            for test in range(3):
                requests = rng.sample(NAMES, rng.choice((1, 1, 2)))
                if rng.random() < 0.08:
                    requests.append(rng.choice(MISSING))
                source += f"def test_{test}({', '.join(requests)}):\n    pass\n\n\n"
            if rng.random() < 0.15:
                source += "class Base(NeverImported):\n    pass\n"
            (folder / f"test_m{module}.py").write_text(source)


PLUGIN = """
import json, os

def pytest_runtest_logreport(report):
    if report.when == "setup" and report.failed:
        with open(os.environ["FIXLINT_LOOKUP_OUT"], "a") as out:
            out.write(json.dumps({"nodeid": report.nodeid, "text": report.longreprtext}) + "\\n")
"""


def pytest_lookups(root: Path, plugin_dir: Path) -> dict[str, str]:
    """Per test, the name of pytest's lookup error at its set-up; any other error fails the test."""
    (plugin_dir / "fixlint_lookup_plugin.py").write_text(PLUGIN)
    out = plugin_dir / "reports.jsonl"
    out.unlink(missing_ok=True)
    env = {**os.environ, "FIXLINT_LOOKUP_OUT": str(out), "PYTHONPATH": str(plugin_dir)}
    command = [sys.executable, "-m", "pytest", "-p", "fixlint_lookup_plugin", "-p", "no:cacheprovider"]
    completed = subprocess.run(
        [*command, "-p", "no:hypothesispytest", "-q", "--import-mode=importlib", "--continue-on-collection-errors"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode in (0, 1), completed.stdout + completed.stderr
    raised = {}
    for line in out.read_text().splitlines() if out.exists() else []:
        report = json.loads(line)
        match = ERROR_RE.search(report["text"])
        assert match is not None, report["text"]
        raised[base_id(report["nodeid"])] = match.group(1) or match.group(2)
    return raised


def fixlint_lookups(root: Path) -> dict[str, set[str]]:
    """Per test, every name fixlint says its set-up cannot resolve."""
    found: dict[str, set[str]] = {}
    for finding in findings_of(root, RULES):
        for test in finding["data"]["tests"]:
            found.setdefault(test, set()).add(finding["data"]["requested"])
    return found


def test_failed_lookups_match_pytest_set_up_errors(tmp_path: Path) -> None:
    root = tmp_path / "trees"
    root.mkdir()
    (root / "pytest.ini").write_text("[pytest]\n")
    for seed in SEEDS:
        generate(root, seed)
    raised = pytest_lookups(root, tmp_path)
    assert raised, "the trees raise no lookup error: the generator lost its defects"
    assert any("NeverImported" in path.read_text() for path in root.rglob("test_*.py"))
    found = fixlint_lookups(root)
    assert set(found) == set(raised), (
        f"pytest: {sorted(set(raised) - set(found))}; fixlint: {sorted(set(found) - set(raised))}"
    )
    wrong = {test: (name, found[test]) for test, name in raised.items() if name not in found[test]}
    assert not wrong, wrong


def test_findings_are_the_same_cold_and_warm(tmp_path: Path) -> None:
    """What the walks record survives the views cache: a warm run reports what a cold one does."""
    root = tmp_path / "trees"
    root.mkdir()
    (root / "pytest.ini").write_text("[pytest]\n")
    for seed in SEEDS[:4]:
        generate(root, seed)
    cache = str(tmp_path / "cache")
    args = ("check", "--format", "json", "--exit-zero", "--rule", RULES, "--cache-dir", cache, ".")
    cold = run_fixlint(root, *args).stdout
    assert json.loads(cold)
    for runs in (tmp_path / "cache").glob("runs-*"):  # the next run reads the views, not the whole run
        for entry in runs.rglob("*"):
            if entry.is_file():
                entry.unlink()
    assert list((tmp_path / "cache").glob("views-*/*/*.json"))
    assert run_fixlint(root, *args).stdout == cold
