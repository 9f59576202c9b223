"""fixture-imported against real pytest, on random trees: a finding for each fixture a test
module registers by importing it (as pytest's collection sees the module), and a fix that gives
every test the fixture it had, as pytest sets them up before and after.

Each tree has helper modules defining fixtures (some names in two of them), a conftest that may
define some of those names too, folders with and without conftests (some with setup code), and
test modules that import one or two fixtures by name and request them. The oracle is a real
run: a plugin records the fixtures each test module binds from other modules (after
collection) and, for each test, which function pytest set up for each name.

FIXLINT_IMPORTED_TREES sets how many trees (default 8); FIXLINT_IMPORTED_SEED=<n> replays one.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

from pytest_oracle import findings_of, run_fixlint, run_recording, second_fix

TREES = int(os.environ.get("FIXLINT_IMPORTED_TREES", "8"))
REPLAY = os.environ.get("FIXLINT_IMPORTED_SEED")
SEEDS = [int(REPLAY)] if REPLAY else list(range(TREES))
NAMES = ["db", "user", "cart", "token"]
HELPERS = ["shop", "bank"]
FOLDERS = ["a", "a/b", "c"]

PLUGIN = """
import json, os

import _pytest.fixtures


def _write(record):
    with open(os.environ["FIXLINT_ORACLE_OUT"], "a") as out:
        out.write(json.dumps(record) + "\\n")


def pytest_collection_modifyitems(session, config, items):
    modules = {item.module.__name__: item.module for item in items if getattr(item, "module", None)}
    for name, module in modules.items():
        for bound, value in vars(module).items():
            if isinstance(value, _pytest.fixtures.FixtureFunctionDefinition) and value.__module__ != name:
                _write({"registered": [module.__file__, bound]})


def pytest_fixture_setup(fixturedef, request):
    function = fixturedef.func
    _write({"setup": [request.node.nodeid, fixturedef.argname, function.__module__, function.__qualname__]})
"""


def _fixture(name: str, value: str) -> list[str]:
    return ["", "", "@pytest.fixture", f"def {name}():", f"    return {value!r}"]


def generate(root: Path, seed: int) -> None:
    rng = random.Random(seed)
    tree = root / f"t{seed}"
    package = f"t{seed}"
    files: dict[str, list[str]] = {"__init__.py": [], "helpers/__init__.py": []}
    defined: dict[str, list[str]] = {}
    for helper in HELPERS:
        names = rng.sample(NAMES, rng.choice((2, 3)))
        defined[helper] = names
        files[f"helpers/{helper}.py"] = ["import pytest"] + [
            line for name in names for line in _fixture(name, f"{helper}.{name}")
        ]
    files["conftest.py"] = ["import pytest"] + [
        line for name in rng.sample(NAMES, rng.choice((0, 1, 2))) for line in _fixture(name, f"conftest.{name}")
    ]
    for folder in FOLDERS:
        files[f"{folder}/__init__.py"] = []
        if rng.random() < 0.5:
            conftest = ["import os", "", "import pytest"]
            if rng.random() < 0.5:
                conftest += ["", f"os.environ.setdefault('FIXLINT_TREE_{seed}', 'set')"]
            if rng.random() < 0.3:
                name = rng.choice(NAMES)
                conftest += _fixture(name, f"{folder}.{name}")
            files[f"{folder}/conftest.py"] = conftest
        for number in range(rng.choice((1, 2))):
            helper = rng.choice(HELPERS)
            imported = rng.sample(defined[helper], rng.choice((1, 2)))
            lines = [f"from {package}.helpers.{helper} import {', '.join(imported)}"]
            for test in range(rng.choice((1, 2))):
                requested = rng.sample(imported, rng.choice(range(1, len(imported) + 1)))
                lines += ["", "", f"def test_{test}({', '.join(requested)}):"]
                lines += [f"    assert {name}" for name in requested]
            files[f"{folder}/test_m{number}.py"] = lines
    for path, lines in files.items():
        target = tree / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(lines) + "\n" if lines else "")


def pytest_run(root: Path, plugin_dir: Path) -> tuple[set[tuple[str, str]], dict[tuple[str, str], tuple[str, str]]]:
    """The (module path, name) of each fixture a test module registers by importing it, and,
    per test and name, the function pytest set up."""
    completed, records = run_recording(root, plugin_dir, PLUGIN, "-p", "no:hypothesispytest", timeout=300)
    assert completed.returncode == 0, completed.stdout + completed.stderr  # every test passes
    registered: set[tuple[str, str]] = set()
    set_up: dict[tuple[str, str], tuple[str, str]] = {}
    for record in records:
        if "registered" in record:
            path, name = record["registered"]
            registered.add((Path(path).relative_to(root).as_posix(), name))
        else:
            nodeid, name, module, qualname = record["setup"]
            set_up[(nodeid, name)] = (module, qualname)
    return registered, set_up


def fixlint_imported(root: Path) -> set[tuple[str, str]]:
    return {(finding["path"], finding["data"]["fixture"]) for finding in findings_of(root, "fixture-imported")}


def test_imported_fixtures_match_pytest_and_the_fix_keeps_every_test_s_fixtures(tmp_path: Path) -> None:
    root = tmp_path / "trees"
    root.mkdir()
    (root / "pytest.ini").write_text("[pytest]\npythonpath = .\n")
    for seed in SEEDS:
        generate(root, seed)
    registered, before = pytest_run(root, tmp_path)
    assert registered and before, "no fixture is imported: the generator lost its defects"
    found = fixlint_imported(root)
    assert found == registered, f"pytest only: {sorted(registered - found)}; fixlint only: {sorted(found - registered)}"

    fixed = run_fixlint(root, "fix", "--no-cache", "--unsafe-fixes", "--rule", "fixture-imported", ".")
    assert fixed.returncode in (0, 1), fixed.stderr
    _, after = pytest_run(root, tmp_path)
    assert after == before, sorted(set(after.items()) ^ set(before.items()))
    left = fixlint_imported(root)
    assert len(left) < len(registered), fixed.stderr  # fixes apply
    # Each one left was declined, and the fix said why.
    declined = {line.removeprefix("fixlint: warning: ").split(":")[0] for line in fixed.stderr.splitlines()}
    assert {path for path, _ in left} <= declined, fixed.stderr
    again = second_fix(root, "fixture-imported", "--unsafe-fixes")
    assert again == "", again  # a second fix changes nothing
