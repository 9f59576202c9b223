"""Run real pytest and fixlint on a folder and say, per test, which scope errors each sees.

pytest's side comes from a full run (``--setup-plan`` misses requests made through
``request.getfixturevalue()``), read by a small plugin that records every setup error and
every collection error (pytest goes on past those, so one broken module hides nothing).
An edge is (requester file, requester decorator line, requested name).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

Edge = tuple[str, int, str]

PLUGIN = """
import json, os

def pytest_runtest_logreport(report):
    if report.when == "setup" and report.failed:
        with open(os.environ["FIXLINT_ORACLE_OUT"], "a") as out:
            out.write(json.dumps({"nodeid": report.nodeid, "text": report.longreprtext}) + "\\n")

def pytest_collectreport(report):
    if report.failed:
        with open(os.environ["FIXLINT_ORACLE_OUT"], "a") as out:
            out.write(json.dumps({"nodeid": report.nodeid, "text": report.longreprtext, "collect": True}) + "\\n")
"""
MISMATCH_RE = re.compile(
    r"ScopeMismatch: You tried to access the (\w+) scoped fixture (\S+) with a (\w+) scoped request object\. "
    r"Requesting fixture stack:\n(?P<stack>.*?)\nRequested fixture:\n",
    re.S,
)
FIXTURE_LINE_RE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):\s+def ")


def base_id(nodeid: str) -> str:
    return nodeid.split("[", 1)[0]


def is_pytest_internal(text: str) -> bool:
    """After another test's ScopeMismatch, pytest 9 and pytest-asyncio can trip their own
    assertions (stale finalizers, a runner's cache) in a later test's set-up."""
    last_frame = text.rstrip().splitlines()[-1] if text.strip() else ""
    return last_frame.endswith("AssertionError") and ("/_pytest/" in last_frame or "/pytest_asyncio/" in last_frame)


@dataclass
class PytestOutcome:
    raised: dict[str, set[Edge]]  # per test (without parameter ids), the scope-mismatch edges pytest raised
    internal: set[str]  # tests whose set-up pytest itself broke after an earlier error
    others: list[str]  # any other set-up error
    collection_errors: dict[str, str]  # node id (a module, usually) -> the end of pytest's report


def run_pytest(root: Path, plugin_dir: Path) -> tuple[dict[str, set[Edge]], set[str], list[str]]:
    """Per test (without parameter ids), the scope-mismatch edges pytest raised; the tests whose
    set-up pytest itself broke after an earlier error; and any other set-up error."""
    outcome = run_pytest_outcome(root, plugin_dir)
    return outcome.raised, outcome.internal, outcome.others


def run_recording(
    root: Path, plugin_dir: Path, plugin: str, *args: str, timeout: int = 600
) -> tuple[subprocess.CompletedProcess, list[dict]]:
    """Run real pytest on ``root`` with ``plugin`` (its source), which appends JSON lines to the
    file named by ``FIXLINT_ORACLE_OUT``: the run, and the records it wrote."""
    (plugin_dir / "fixlint_oracle_plugin.py").write_text(plugin)
    out = plugin_dir / "records.jsonl"
    out.unlink(missing_ok=True)
    env = {**os.environ, "FIXLINT_ORACLE_OUT": str(out), "PYTHONPATH": str(plugin_dir)}
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "fixlint_oracle_plugin", "-p", "no:cacheprovider", "-q", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    records = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    return completed, records


def run_pytest_outcome(root: Path, plugin_dir: Path) -> PytestOutcome:
    """What :func:`run_pytest` says, and the collection errors."""
    completed, reports = run_recording(
        root,
        plugin_dir,
        PLUGIN,
        "--import-mode=importlib",
        "--continue-on-collection-errors",
        "-W",
        "ignore::DeprecationWarning",
        "-W",
        "ignore::pytest.PytestDeprecationWarning",
    )
    if completed.returncode not in (0, 1):
        raise AssertionError(f"pytest did not run the tests:\n{completed.stdout}\n{completed.stderr}")
    outcome = PytestOutcome({}, set(), [], {})
    for report in reports:
        if report.get("collect"):
            outcome.collection_errors[report["nodeid"]] = report["text"][-400:]
            continue
        match = MISMATCH_RE.search(report["text"])
        if match is None:
            if is_pytest_internal(report["text"]):
                outcome.internal.add(base_id(report["nodeid"]))
            else:
                outcome.others.append(f"{report['nodeid']}: {report['text'][-400:]}")
            continue
        requester = FIXTURE_LINE_RE.match(match.group("stack").splitlines()[-1])
        assert requester is not None, report["text"]
        edge = (requester.group("path"), int(requester.group("line")), match.group(2))
        outcome.raised.setdefault(base_id(report["nodeid"]), set()).add(edge)
    return outcome


def run_fixlint(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fixlint", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )


def findings_of(root: Path, rules: str, *paths: str) -> list[dict]:
    """fixlint's findings of ``rules`` (names, comma-separated) on ``paths`` (the tree by default),
    read cold, as JSON."""
    completed = run_fixlint(
        root, "check", "--no-cache", "--format", "json", "--exit-zero", "--rule", rules, *(paths or (".",))
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def second_fix(root: Path, rule: str, *flags: str) -> str:
    """The diff a second ``fix`` of ``rule`` would make: empty when the first left nothing to do."""
    return run_fixlint(root, "fix", "--no-cache", *flags, "--diff", "--rule", rule, ".").stdout


def scope_findings(root: Path) -> list[dict]:
    return findings_of(root, "fixture-scope-mismatch,fixture-loop-scope")


# The one reason a generated tree may leave a mismatch without a fix: the trees have no dynamic scope.
PARAMETRIZED_REASON = "no fix: the scope pytest uses here comes from a parametrization"


def declined_edges(root: Path) -> set[Edge]:
    """Mismatches fixlint reports without a fix; each must say it is a parametrization's doing."""
    declined = [f for f in scope_findings(root) if f["rule"] == "fixture-scope-mismatch" and f["fix"] is None]
    unexplained = [f["message"] for f in declined if PARAMETRIZED_REASON not in f["message"]]
    assert not unexplained, f"fixes declined for another reason: {unexplained}"
    return {(f["data"]["requester_path"], f["data"]["requester_line"], f["data"]["requested"]) for f in declined}


def fixlint_edges(root: Path) -> dict[str, set[Edge]]:
    """Per test, every scope-mismatch edge fixlint reports for it."""
    edges: dict[str, set[Edge]] = {}
    for finding in scope_findings(root):
        data = finding["data"]
        if finding["rule"] == "fixture-scope-mismatch":
            if finding["severity"] != "error":
                continue
            edge = (data["requester_path"], data["requester_line"], data["requested"])
        elif data.get("kind") == "loop-narrower-than-scope":
            edge = (finding["path"], finding["line"], f"_{data['loop_scope']}_scoped_runner")
        else:
            continue
        for test in data["tests"]:
            edges.setdefault(test, set()).add(edge)
    return edges
