"""The legacy-mock and required-events fixes on random runnable suites, confirmed by real pytest.

The suites (tests/differential/event_suites.py) use legacy wrappers around the unified,
unittest.mock-based WebSocket mock, mock connections where real ones are required, and tests of
the agent event flow that check some of the events they send; every test passes as generated.
For each batch of trees:
  1. pytest collects every generated test, and every one passes;
  2. `fixlint fix --write-events-helper` (safe fixes, all families): pytest collects the same tests,
     with no collection error, and every one still passes;
  3. `fixlint fix --unsafe-fixes`: the same tests, no collection error, and a test fails iff
     fixlint gave it a `required-events-missing` fix and it really never sends a required
     event; it then fails in the helper's assertion, naming exactly the events it never sends;
  4. nothing fixable is left.

FIXLINT_SUITE_TREES sets how many trees (default 30), FIXLINT_SUITE_FIRST the first seed (default 0);
FIXLINT_SUITE_SEED=<n> replays one tree (with its batch's settings):
    FIXLINT_SUITE_SEED=7 python -m pytest tests/test_generated_suite_vs_pytest.py -q
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "differential"))
from event_suites import EVENTS, Batch, Suite, batch_settings, generate

TREES = int(os.environ.get("FIXLINT_SUITE_TREES", "30"))
FIRST = int(os.environ.get("FIXLINT_SUITE_FIRST", "0"))
BATCH = 10
REPLAY = os.environ.get("FIXLINT_SUITE_SEED")
SEEDS = [int(REPLAY)] if REPLAY else list(range(FIRST, FIRST + TREES))
BATCHES = [SEEDS[start : start + BATCH] for start in range(0, len(SEEDS), BATCH)]

PLUGIN = (
    """
import json, os

def _write(record):
    with open(os.environ["FIXLINT_SUITE_OUT"], "a") as out:
        out.write(json.dumps(record) + "\\n")

def pytest_collection_finish(session):
    _write({"collected": [item.nodeid for item in session.items]})

def pytest_collectreport(report):
    if report.failed:
        _write({"collect_error": report.nodeid, "text": report.longreprtext[-600:]})

def pytest_runtest_logreport(report):
    if report.failed or (report.when == "call" and not report.passed):
"""
    '        _write({"nodeid": report.nodeid, "when": report.when, "outcome": report.outcome,'
    ' "text": report.longreprtext[-1500:]})\n'
)
MISSING_RE = re.compile(r"Missing required events: (\[[^\]]*\])")


@dataclass
class Outcome:
    collected: list[str] = field(default_factory=list)
    collection_errors: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # nodeid -> pytest's report (set-up, call or teardown)


def run_pytest(root: Path, plugin_dir: Path) -> Outcome:
    (plugin_dir / "fixlint_suite_plugin.py").write_text(PLUGIN)
    out = plugin_dir / "suite_reports.jsonl"
    out.unlink(missing_ok=True)
    env = {**os.environ, "FIXLINT_SUITE_OUT": str(out), "PYTHONPATH": str(plugin_dir)}
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "fixlint_suite_plugin",
            "-p",
            "no:cacheprovider",
            "-q",
            "--continue-on-collection-errors",
            "-W",
            "ignore::DeprecationWarning",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if completed.returncode not in (0, 1):
        raise AssertionError(f"pytest did not run the tests:\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}")
    outcome = Outcome()
    for line in out.read_text().splitlines() if out.exists() else []:
        record = json.loads(line)
        if "collected" in record:
            outcome.collected = record["collected"]
        elif "collect_error" in record:
            outcome.collection_errors[record["collect_error"]] = record["text"]
        else:
            outcome.failed.setdefault(record["nodeid"], f"[{record['when']}] {record['text']}")
    return outcome


def fixlint(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fixlint", *args], cwd=root, capture_output=True, text=True, timeout=600
    )


def findings(root: Path) -> list[dict]:
    completed = fixlint(root, "check", "--format", "json", "--exit-zero", "--unsafe-fixes", ".")
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def replay_hint(seeds: list[int], root: Path) -> str:
    lines = [
        f"replay: FIXLINT_SUITE_SEED={seed} python -m pytest tests/test_generated_suite_vs_pytest.py -q"
        for seed in seeds
    ]
    return "\n".join(lines + [f"trees kept in {root}"])


def seeds_of(nodeids, batch: Batch) -> list[int]:
    return sorted({suite.seed for suite in batch.suites for nodeid in nodeids if nodeid.startswith(f"t{suite.seed}/")})


def gist(report: str) -> str:
    """pytest's verdict on a failed test: its first ``E`` lines and where it failed."""
    lines = report.splitlines()
    errors = [line.strip() for line in lines if line.startswith("E ")][:3]
    return " | ".join(errors + lines[-1:])


def collection_problems(outcome: Outcome, expected: set[str], when: str) -> list[str]:
    problems = [
        f"{when}: collection error in {nodeid}: {gist(text)}" for nodeid, text in outcome.collection_errors.items()
    ]
    collected = set(outcome.collected)
    problems += [f"{when}: {nodeid} is no longer collected" for nodeid in sorted(expected - collected)]
    problems += [f"{when}: {nodeid} is collected, but was not generated" for nodeid in sorted(collected - expected)]
    return problems


def make_batch(seeds: list[int]) -> Batch:
    strict, helper_present = batch_settings(seeds[0] // BATCH)
    suites: list[Suite] = [generate(seed, helper_present) for seed in seeds]
    return Batch(strict, helper_present, suites)


@pytest.mark.parametrize("seeds", BATCHES, ids=[f"seeds{b[0]}-{b[-1]}" for b in BATCHES])
def test_fixes_pytest_confirms(seeds: list[int], tmp_path: Path) -> None:
    batch = make_batch(seeds)
    root = tmp_path / "suites"
    batch.render(root)
    missing = {test.nodeid: test.missing for test in batch.tests}
    expected = set(missing)

    before = run_pytest(root, tmp_path)
    problems = collection_problems(before, expected, "as generated")
    problems += [f"as generated: {nodeid} fails: {gist(report)}" for nodeid, report in sorted(before.failed.items())]
    if problems:
        pytest.fail(
            "the generator is wrong:\n"
            + "\n".join(problems)
            + "\n"
            + replay_hint(seeds_of(problems_ids(problems), batch), root)
        )

    sources = {path: path.read_bytes() for path in root.rglob("*.py")}
    safe = fixlint(root, "fix", "--write-events-helper", ".")
    assert safe.returncode in (0, 1), safe.stderr
    assert (root / "test_framework" / "websocket_helpers.py").is_file(), safe.stdout
    assert any(path.read_bytes() != data for path, data in sources.items()), "the safe fixes changed nothing"
    after_safe = run_pytest(root, tmp_path)
    problems += collection_problems(after_safe, expected, "after fix (safe)")
    problems += [
        f"after fix (safe): {nodeid} fails: {gist(report)}" for nodeid, report in sorted(after_safe.failed.items())
    ]

    given_helper = {
        f["data"]["test"] for f in findings(root) if f["rule"] == "required-events-missing" and f["fix"] is not None
    }
    problems += [
        f"fixlint names a test pytest does not collect: {nodeid}" for nodeid in sorted(given_helper - expected)
    ]
    unsafe = fixlint(root, "fix", "--unsafe-fixes", ".")
    assert unsafe.returncode in (0, 1), unsafe.stderr
    after = run_pytest(root, tmp_path)
    problems += collection_problems(after, expected, "after fix --unsafe-fixes")
    for nodeid in sorted(expected - set(after_safe.failed)):  # a test the safe fixes broke is reported above
        must_fail = nodeid in given_helper and bool(missing[nodeid])
        report = after.failed.get(nodeid)
        when = f"after fix --unsafe-fixes: {nodeid}"
        if must_fail and report is None:
            problems.append(
                f"{when} never sends {list(missing[nodeid])}, yet passes with the helper call fixlint added"
            )
        elif not must_fail and report is not None:
            why = (
                "fixlint added the helper call, though it sends every event"
                if nodeid in given_helper
                else "no helper call was added"
            )
            problems.append(f"{when} fails ({why}): {gist(report)}")
        elif report is not None:
            found = MISSING_RE.search(report)
            named = ast.literal_eval(found.group(1)) if found else None
            if named != list(missing[nodeid]):
                problems.append(f"{when} must fail naming {list(missing[nodeid])} as missing: {gist(report)}")

    left = [f for f in findings(root) if f["fix"] is not None]
    problems += [
        f"after fix --unsafe-fixes, still fixable: {f['path']}:{f['line']} {f['rule']} {f['message']}" for f in left
    ]
    if problems:
        pytest.fail(
            "\n".join(problems) + "\n" + replay_hint(seeds_of(problems_ids(problems), batch), root), pytrace=False
        )


def problems_ids(problems: list[str]) -> list[str]:
    """The node ids or paths the problems name."""
    return [word for problem in problems for word in problem.split() if re.match(r"t\d+/", word)]


def test_every_event_flow_shape_is_generated() -> None:
    """The trees do hold what the test above is for: partial checks of events never sent, and
    flows that send every event."""
    tests = [test for seed in SEEDS for test in generate(seed, True).tests]
    assert any(test.missing and test.missing != EVENTS for test in tests)
    assert any(not test.missing for test in tests)
    # Tests whose name promises every event and that do not send them all: the helper must fail them.
    assert any(test.missing and "all_five_events" in test.name for test in tests)
