"""fixlint's fixture-scope findings against real pytest, test by test, on random trees.

For each test: pytest raises a ScopeMismatch in its set-up iff fixlint reports one for it, and
the edge pytest names is among fixlint's. pytest stops at a test's first error, so the edges it
raised are then taken out of the trees and both run again, until pytest raises none: every
round must agree. Last, every fix family on the original trees, safe fixes first: after
`fixlint fix`, pytest collects without a collection error it did not have before and raises no
ScopeMismatch in a test that had none (a safe fix never makes a tree worse); after
`fixlint fix --unsafe-fixes`, no new collection error, no ScopeMismatch but those fixlint reports
with no fix (saying why), and no other set-up error.

FIXLINT_DIFF_TREES sets how many trees (default 150, what CI runs; 300 or more by hand before a
release of the scope rules), FIXLINT_DIFF_FIRST the first seed (default 0);
FIXLINT_DIFF_SEED=<n> replays one tree.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
from pytest_oracle import Edge, PytestOutcome, declined_edges, fixlint_edges, run_fixlint, run_pytest_outcome
from scope_trees import TreeModel, generate

TREES = int(os.environ.get("FIXLINT_DIFF_TREES", "150"))
FIRST = int(os.environ.get("FIXLINT_DIFF_FIRST", "0"))
BATCH = 25
REPLAY = os.environ.get("FIXLINT_DIFF_SEED")
SEEDS = [int(REPLAY)] if REPLAY else list(range(FIRST, FIRST + TREES))
BATCHES = [SEEDS[start : start + BATCH] for start in range(0, len(SEEDS), BATCH)]
MAX_ROUNDS = 30


def batch_ini(seeds: list[int]) -> str:
    """pytest-asyncio's settings for a batch; a replayed seed gets those of its batch."""
    rng = random.Random(seeds[0] // BATCH * 7919)
    lines = ["[pytest]", f"asyncio_mode = {rng.choice(('strict', 'auto'))}"]
    default = rng.choice((None, "function", "module", "session"))
    lines.append(f"asyncio_default_fixture_loop_scope = {default or 'fixture-scope'}")
    if rng.random() < 0.3:
        lines.append("usefixtures = f0")
    return "\n".join(lines) + "\n"


def render(root: Path, models: dict[int, TreeModel], ini: str) -> None:
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    (root / "pytest.ini").write_text(ini)
    for seed, model in models.items():
        model.render(root / f"t{seed}")


def replay_hint(seeds: list[int], root: Path) -> str:
    return "\n".join(
        [f"replay: FIXLINT_DIFF_SEED={seed} python -m pytest tests/differential -q" for seed in seeds]
        + [f"trees kept in {root}"]
    )


def problem_seeds(problems: list[str]) -> list[int]:
    return sorted({int(problem.split("/", 1)[0][1:]) for problem in problems})


def disagreements(pytest_errors: dict[str, set[Edge]], fixlint: dict[str, set[Edge]], unknown: set[str]) -> list[str]:
    """``unknown``: tests whose set-up pytest broke itself; they are judged in a later round."""
    problems = []
    for test in sorted((set(pytest_errors) | set(fixlint)) - unknown):
        raised, reported = pytest_errors.get(test, set()), fixlint.get(test, set())
        if raised and not raised <= reported:
            problems.append(f"{test}: pytest raised {sorted(raised)}, fixlint reports {sorted(reported)}")
        elif reported and not raised:
            problems.append(f"{test}: fixlint reports {sorted(reported)}, pytest raised nothing")
    return problems


@pytest.mark.parametrize("seeds", BATCHES, ids=[f"seeds{b[0]}-{b[-1]}" for b in BATCHES])
def test_fixlint_agrees_with_pytest(seeds: list[int], tmp_path_factory: pytest.TempPathFactory) -> None:
    work = tmp_path_factory.mktemp("differential")
    ini = batch_ini(seeds)
    models = {seed: generate(seed) for seed in seeds}
    root = work / "trees"
    render(root, models, ini)
    original: PytestOutcome | None = None
    for round_number in range(MAX_ROUNDS):
        outcome = run_pytest_outcome(root, work)
        original = original or outcome
        raised, internal, others = outcome.raised, outcome.internal, outcome.others
        assert not outcome.collection_errors, (
            f"generated trees do not collect: {outcome.collection_errors}\n" + replay_hint(seeds, root)
        )
        assert not others, (
            "generated trees hit other set-up errors:\n" + "\n".join(others) + "\n" + replay_hint(seeds, root)
        )
        problems = disagreements(raised, fixlint_edges(root), internal)
        assert not problems, (
            f"round {round_number}:\n" + "\n".join(problems) + "\n" + replay_hint(problem_seeds(problems), root)
        )
        if not raised:
            assert not internal, f"pytest broke these set-ups with no ScopeMismatch left: {sorted(internal)}"
            break
        for path, line, name in {edge for edges in raised.values() for edge in edges}:
            tree, _, relative = path.partition("/")
            assert models[int(tree[1:])].remove_request(relative, line, name), (path, line, name)
        render(root, models, ini)
    else:
        stuck = sorted({edge for edges in raised.values() for edge in edges})
        stuck_seeds = sorted({int(path.split("/", 1)[0][1:]) for path, _, _ in stuck})
        pytest.fail(f"pytest still raised after {MAX_ROUNDS} rounds: {stuck}\n{replay_hint(stuck_seeds, root)}")

    assert original is not None
    fixed = work / "fixed"
    render(fixed, {seed: generate(seed) for seed in seeds}, ini)
    safe = run_fixlint(fixed, "fix", ".")
    assert safe.returncode in (0, 1), safe.stderr
    after_safe = run_pytest_outcome(fixed, work)
    assert not after_safe.collection_errors, (
        f"after fix (safe): collection errors {after_safe.collection_errors}\n{replay_hint(seeds, fixed)}"
    )
    assert not after_safe.others, (
        f"after fix (safe): other set-up errors {after_safe.others}\n{replay_hint(seeds, fixed)}"
    )
    # pytest stops at a test's first error: a test that had one may show another now, but a test
    # that set up cleanly (or was not judged: `internal`) must not meet a new ScopeMismatch.
    worse = {
        test: edges
        for test, edges in after_safe.raised.items()
        if test not in original.raised and test not in original.internal
    }
    assert not worse, f"after fix (safe), new ScopeMismatch: {worse}\n{replay_hint(problem_seeds(list(worse)), fixed)}"

    result = run_fixlint(fixed, "fix", "--unsafe-fixes", ".")
    assert result.returncode in (0, 1), result.stderr
    after = run_pytest_outcome(fixed, work)
    declined = declined_edges(fixed)
    left = {test: edges - declined for test, edges in after.raised.items() if edges - declined}
    assert not after.collection_errors, (
        f"after fix --unsafe-fixes: collection errors {after.collection_errors}\n{replay_hint(seeds, fixed)}"
    )
    assert not left and not after.others, f"after fix: {left} {after.others}\n{replay_hint(seeds, fixed)}"
    assert not after.internal - set(after.raised), f"after fix, pytest broke set-ups: {after.internal}"
