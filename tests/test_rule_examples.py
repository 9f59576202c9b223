"""Every rule's docstring examples, run through the real CLI, and confirmed by real pytest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fixlint.rules.base import Example
from fixlint.rules.registry import RULES

CASES = [
    pytest.param(rule_name, example, id=f"{rule_name}-{index}")
    for rule_name, rule in RULES.items()
    for index, example in enumerate(rule.examples)
]


def write_tree(root: Path, example: Example) -> None:
    (root / "pytest.ini").write_text(example.ini or "[pytest]\n")
    for relative, source in example.files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)


# Rules whose examples need more than files; their tests say how they are covered.
WITHOUT_EXAMPLES = {"io-error": "needs unreadable paths and symlinks: see tests/test_cli.py"}


def findings(run_cli, root: Path, rule: str, also: tuple[str, ...] = ()) -> list[dict]:
    result = run_cli(root, "check", "--rule", ",".join((rule, *also)), "--format", "json", "--exit-zero", ".")
    assert result.exit_code == 0, result.output
    return [finding for finding in json.loads(result.stdout) if finding["rule"] == rule]


def test_every_rule_has_examples_and_docs():
    for rule in RULES.values():
        assert rule.examples or rule.name in WITHOUT_EXAMPLES, f"{rule.name} has no examples"
        for section in ("## What it does", "## Why is this bad?", "## Fix safety"):
            assert section in (rule.__doc__ or ""), f"{rule.name} docs lack {section}"


@pytest.mark.parametrize("rule_name, example", CASES)
def test_example(tmp_path: Path, run_fixlint, rule_name: str, example: Example) -> None:
    run_cli = run_fixlint
    write_tree(tmp_path, example)
    found = sorted(f"{f['path']}:{f['line']} {f['rule']}" for f in findings(run_cli, tmp_path, rule_name, example.also_select))
    assert found == sorted(example.expected)
    if example.fixed is None:
        before = {p: (tmp_path / p).read_text() for p in example.files}
        run_cli(tmp_path, "fix", "--unsafe-fixes", "--rule", ",".join((rule_name, *example.also_select)), ".")
        assert {p: (tmp_path / p).read_text() for p in example.files} == before
        return
    applicability = (example.applicability or RULES[rule_name].fix).value
    fixes = [f["fix"] for f in findings(run_cli, tmp_path, rule_name, example.also_select) if f["fix"]]
    assert fixes and all(fix["applicability"] == applicability for fix in fixes)
    run_cli(tmp_path, "fix", "--unsafe-fixes", "--rule", ",".join((rule_name, *example.also_select)), ".")
    for relative, expected in example.fixed.items():
        assert (tmp_path / relative).read_text() == expected
    assert not [f for f in findings(run_cli, tmp_path, rule_name, example.also_select) if f["fix"]]
    snapshot = {p: p.read_bytes() for p in tmp_path.rglob("*.py")}
    second = run_cli(tmp_path, "fix", "--unsafe-fixes", "--rule", ",".join((rule_name, *example.also_select)), "--diff", ".")
    assert second.exit_code in (0, 1) and {p: p.read_bytes() for p in tmp_path.rglob("*.py")} == snapshot
    assert "+++" not in second.stdout


SCOPE_RULES = {"fixture-scope-mismatch", "fixture-loop-scope"}


@pytest.mark.parametrize(
    "rule_name, example",
    [case for case in CASES if case.values[0] in SCOPE_RULES and any(p.startswith("test_") for p in case.values[1].files)],
)
def test_pytest_confirms_example(tmp_path: Path, run_fixlint, rule_name: str, example: Example) -> None:
    run_cli = run_fixlint
    """pytest raises ScopeMismatch exactly where the example expects a finding, and not after the fix."""
    write_tree(tmp_path, example)
    before = run_pytest(tmp_path)
    assert ("ScopeMismatch" in before) == bool(example.expected), before
    if example.fixed is not None:
        run_cli(tmp_path, "fix", "--unsafe-fixes", "--rule", ",".join((rule_name, *example.also_select)), ".")
        after = run_pytest(tmp_path)
        assert "ScopeMismatch" not in after and " passed" in after, after


def run_pytest(root: Path) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-W", "ignore::DeprecationWarning"],
        cwd=root, capture_output=True, text=True, timeout=120,
    )
    return completed.stdout + completed.stderr
