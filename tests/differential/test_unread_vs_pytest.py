"""fixture-unread against real pytest, on random trees: a finding for each test parameter whose
fixture value the test never touches at run time, and a fix after which every test gets the same
fixtures set up, and passes.

Each tree has a conftest whose fixtures return probes (objects that record, for the running
test, each read of them) and test modules, at module level and in classes, that request some of
them and read some of those. The oracle is a real run: the probes say which values each test
read, and a plugin records which fixtures pytest set up for each test.

FIXLINT_UNREAD_TREES sets how many trees (default 8); FIXLINT_UNREAD_SEED=<n> replays one.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

from pytest_oracle import findings_of, run_fixlint, run_recording, second_fix

TREES = int(os.environ.get("FIXLINT_UNREAD_TREES", "8"))
REPLAY = os.environ.get("FIXLINT_UNREAD_SEED")
SEEDS = [int(REPLAY)] if REPLAY else list(range(TREES))
NAMES = [f"f{number}" for number in range(5)]

CONFTEST = '''import json
import os

import pytest


class Probe:
    """A fixture's value that records each read of it, for the test running."""

    def __init__(self, name):
        self.name = name

    def __getattr__(self, attribute):
        test = os.environ["PYTEST_CURRENT_TEST"].rsplit(" ", 1)[0]
        with open(os.environ["FIXLINT_ORACLE_OUT"], "a") as out:
            out.write(json.dumps({"read": [test, self.name]}) + "\\n")
        return attribute
'''

PLUGIN = """
import json, os


def pytest_fixture_setup(fixturedef, request):
    with open(os.environ["FIXLINT_ORACLE_OUT"], "a") as out:
        out.write(json.dumps({"setup": [request.node.nodeid, fixturedef.argname]}) + "\\n")
"""


def generate(root: Path, seed: int) -> None:
    rng = random.Random(seed)
    tree = root / f"t{seed}"
    tree.mkdir()
    conftest = [CONFTEST]
    for name in NAMES:
        if rng.random() < 0.5:  # a fixture with a side effect and a teardown
            conftest += ["", "", "@pytest.fixture", f"def {name}():", f"    yield Probe({name!r})"]
        else:
            conftest += ["", "", "@pytest.fixture", f"def {name}():", f"    return Probe({name!r})"]
    (tree / "conftest.py").write_text("\n".join(conftest) + "\n")
    for number in range(rng.choice((1, 2, 3))):
        lines = ["import pytest"]
        for test in range(rng.choice((1, 2, 3))):
            lines += ["", "", *_test(rng, f"test_{test}", "")]
        if rng.random() < 0.5:
            lines += ["", "", "class TestGroup:"]
            for test in range(rng.choice((1, 2))):
                lines += _test(rng, f"test_in_class_{test}", "    ") + [""]
        (tree / f"test_m{number}.py").write_text("\n".join(lines).rstrip() + "\n")


def _test(rng: random.Random, name: str, indent: str) -> list[str]:
    requested = rng.sample(NAMES, rng.choice((1, 2, 3)))
    read = [fixture for fixture in requested if rng.random() < 0.5]
    marks = [f'{indent}@pytest.mark.usefixtures("{rng.choice(NAMES)}")'] if rng.random() < 0.2 else []
    parameters = (["self"] if indent else []) + requested
    body = [f"{indent}    assert {fixture}.value == 'value'" for fixture in read] or [f"{indent}    pass"]
    return [*marks, f"{indent}def {name}({', '.join(parameters)}):", *body]


def pytest_run(root: Path, plugin_dir: Path) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Per test, the fixtures pytest set up (by node id) and those the test read (by ``path::name``:
    the names are unique in a module)."""
    completed, records = run_recording(
        root, plugin_dir, PLUGIN, "-p", "no:hypothesispytest", "--import-mode=importlib", timeout=300
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr  # every test passes
    set_up: dict[str, set[str]] = {}
    read: dict[str, set[str]] = {}
    for record in records:
        kind, (test, name) = next(iter(record.items()))
        if kind == "setup":
            set_up.setdefault(test, set()).add(name)
        else:
            read.setdefault(_without_class(test), set()).add(name)
    return set_up, read


def _without_class(nodeid: str) -> str:
    path, *_, name = nodeid.split("::")
    return f"{path}::{name}"


def fixlint_unread(root: Path) -> dict[str, set[str]]:
    return {
        f"{finding['path']}::{finding['data']['test'].rpartition('.')[2]}": set(finding["data"]["fixtures"])
        for finding in findings_of(root, "fixture-unread")
    }


def test_unread_fixtures_match_what_tests_never_touch_and_the_fix_keeps_their_set_up(tmp_path: Path) -> None:
    root = tmp_path / "trees"
    root.mkdir()
    (root / "pytest.ini").write_text("[pytest]\n")
    requested: dict[str, set[str]] = {}
    for seed in SEEDS:
        generate(root, seed)
    set_up, read = pytest_run(root, tmp_path)
    for path in sorted(root.rglob("test_*.py")):
        for line in path.read_text().splitlines():
            if line.strip().startswith("def test_"):
                name = line.strip()[4:].split("(")[0]
                parameters = line.split("(")[1].rstrip("):").split(", ")
                test = f"{path.relative_to(root).as_posix()}::{name}"
                requested[test] = {parameter for parameter in parameters if parameter != "self"}
    unread = {test: names - read.get(test, set()) for test, names in requested.items()}
    unread = {test: names for test, names in unread.items() if names}
    assert unread, "every test reads its fixtures: the generator lost its defects"
    found = fixlint_unread(root)
    assert found == unread, f"pytest only: {unread.keys() - found.keys()}; fixlint only: {found.keys() - unread.keys()}"

    fixed = run_fixlint(root, "fix", "--no-cache", "--rule", "fixture-unread", ".")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    after, _ = pytest_run(root, tmp_path)
    assert after == set_up
    assert fixlint_unread(root) == {}
    again = second_fix(root, "fixture-unread")
    assert again == "", again  # a second fix changes nothing
