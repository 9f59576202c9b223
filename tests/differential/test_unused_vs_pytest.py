"""fixture-unused against real pytest, fixture by fixture, on random trees; and the rule's
silence on a run that did not read the whole suite.

Each tree has a conftest, a sub-folder whose conftest overrides some of its fixtures (some
requesting the name they override), a sibling folder with fixtures of its own, and test modules
with fixtures of their own and of their classes; fixtures request later ones (no cycle, no
name left unprovided: pytest stops a test's set-up at its first lookup error), tests request
them as arguments, by ``usefixtures``, ``pytestmark`` and ``request.getfixturevalue("name")``,
and some are autouse. The oracle is a real run recording every fixture pytest sets up
(``pytest_fixture_setup``): ``--fixtures-per-test`` lists only the last definition of each
name of a test's closure, so it misses an override's request of the name it overrides and
every ``getfixturevalue`` request. A fixture is unused iff the run set it up for no test.

FIXLINT_UNUSED_TREES sets how many trees (default 12); FIXLINT_UNUSED_SEED=<n> replays one.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

from pytest_oracle import findings_of, run_fixlint, run_recording, second_fix

TREES = int(os.environ.get("FIXLINT_UNUSED_TREES", "12"))
REPLAY = os.environ.get("FIXLINT_UNUSED_SEED")
SEEDS = [int(REPLAY)] if REPLAY else list(range(TREES))
NAMES = [f"f{index}" for index in range(8)]
Place = tuple[str, int]  # (path from the root, line of the fixture's first decorator)


class Module:
    """A module's source, written line by line, that remembers where each fixture stands."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.lines = ["import pytest", "", ""]
        self.fixtures: list[Place] = []

    def fixture(self, rng: random.Random, name: str, indent: str = "", own: bool = False) -> None:
        later = NAMES[NAMES.index(name) + 1 :]
        requests = rng.sample(later, min(len(later), rng.choice((0, 0, 1, 1, 2))))
        if own:
            requests.append(name)  # an override that requests the fixture it overrides
        body = [f"{indent}    return 1"]
        if requests and rng.random() < 0.25:
            body = [f"{indent}    request.getfixturevalue({requests.pop()!r})", *body]
            requests.append("request")
        if indent:
            requests.insert(0, "self")
        autouse = "(autouse=True)" if rng.random() < 0.06 else ""
        self.fixtures.append((self.path, len(self.lines) + 1))
        self.lines += [f"{indent}@pytest.fixture{autouse}", f"{indent}def {name}({', '.join(requests)}):", *body, ""]

    def test(self, rng: random.Random, name: str, indent: str = "") -> None:
        requests = rng.sample(NAMES, rng.choice((0, 1, 1, 2)))
        if rng.random() < 0.2:
            self.lines.append(f"{indent}@pytest.mark.usefixtures({rng.choice(NAMES)!r})")
        body = [f"{indent}    pass"]
        if rng.random() < 0.15:
            body = [f"{indent}    request.getfixturevalue({rng.choice(NAMES)!r})"]
            requests.append("request")
        if indent:
            requests.insert(0, "self")
        self.lines += [f"{indent}def {name}({', '.join(requests)}):", *body, ""]

    def write(self, root: Path) -> list[Place]:
        (root / self.path).write_text("\n".join(self.lines) + "\n")
        return self.fixtures


def generate(root: Path, seed: int) -> list[Place]:
    """A tree under ``root``; every fixture definition in it."""
    rng = random.Random(seed)
    tree = f"t{seed}"
    for folder in ("", "/sub", "/side"):
        (root / f"{tree}{folder}").mkdir(parents=True)
        (root / f"{tree}{folder}/__init__.py").write_text("")
    places: list[Place] = []
    conftest = Module(f"{tree}/conftest.py")
    for name in NAMES:
        conftest.fixture(rng, name)
    places += conftest.write(root)
    sub = Module(f"{tree}/sub/conftest.py")
    for name in rng.sample(NAMES, 3):
        sub.fixture(rng, name, own=rng.random() < 0.5)
    places += sub.write(root)
    side = Module(f"{tree}/side/conftest.py")
    for name in rng.sample(NAMES, 2):
        side.fixture(rng, name, own=rng.random() < 0.5)
    places += side.write(root)
    for folder in (tree, f"{tree}/sub", f"{tree}/side"):
        for index in range(2):
            module = Module(f"{folder}/test_m{index}.py")
            if rng.random() < 0.2:
                module.lines += [f"pytestmark = pytest.mark.usefixtures({rng.choice(NAMES)!r})", "", ""]
            for name in rng.sample(NAMES, rng.choice((0, 1, 1, 2))):
                module.fixture(rng, name, own=rng.random() < 0.5)
            for test in range(rng.choice((0, 1, 2))):
                module.test(rng, f"test_{test}")
            if rng.random() < 0.5:
                module.lines += ["class TestC:"]
                for name in rng.sample(NAMES, 1):
                    module.fixture(rng, name, indent="    ", own=rng.random() < 0.5)
                module.test(rng, "test_in_class", indent="    ")
            places += module.write(root)
    return places


PLUGIN = """
import json, os

def pytest_fixture_setup(fixturedef, request):
    code = getattr(fixturedef.func, "__code__", None)
    if code is not None:
        with open(os.environ["FIXLINT_ORACLE_OUT"], "a") as out:
            out.write(json.dumps([code.co_filename, code.co_firstlineno, fixturedef.func.__qualname__]) + "\\n")
"""


def pytest_set_up(root: Path, plugin_dir: Path) -> dict[Place, str]:
    """Every fixture of the trees that a real run sets up: where it is defined, and its function."""
    completed, records = run_recording(root, plugin_dir, PLUGIN, "-p", "no:hypothesispytest", "--import-mode=importlib")
    assert completed.returncode in (0, 5), completed.stdout + completed.stderr  # every test passes
    set_up = {}
    for filename, first_line, function in records:
        path = Path(filename)
        if root in path.parents:
            set_up[(path.relative_to(root).as_posix(), first_line)] = function
    return set_up


def fixlint_unused(root: Path, *paths: str) -> set[Place]:
    return {(finding["path"], finding["line"]) for finding in findings_of(root, "fixture-unused", *paths)}


def test_unused_fixtures_match_what_pytest_never_sets_up(tmp_path: Path) -> None:
    root = tmp_path / "trees"
    root.mkdir()
    (root / "pytest.ini").write_text("[pytest]\n")
    places = [place for seed in SEEDS for place in generate(root, seed)]
    set_up = pytest_set_up(root, tmp_path)
    unused = set(places) - set(set_up)
    assert unused, "every fixture of the trees is set up: the generator lost its defects"
    found = fixlint_unused(root, ".")
    assert found == unused, f"pytest only: {sorted(unused - found)}; fixlint only: {sorted(found - unused)}"

    # After the fix (deletions move lines: functions are compared by module and name), every
    # test passes and pytest sets up the fixtures it did.
    fixed = run_fixlint(root, "fix", "--no-cache", "--unsafe-fixes", "--rule", "fixture-unused", ".")
    assert fixed.returncode in (0, 1), fixed.stderr
    after = pytest_set_up(root, tmp_path)
    assert {(path, name) for (path, _), name in after.items()} == {(path, name) for (path, _), name in set_up.items()}
    assert len(fixlint_unused(root, ".")) < len(unused), fixed.stderr
    again = second_fix(root, "fixture-unused", "--unsafe-fixes")
    assert again == "", again  # a second fix changes nothing


def test_a_run_on_named_files_reports_nothing(tmp_path: Path) -> None:
    """pre-commit names the files it checks: a conftest named alone is read with the tests of its
    folder, not those beside it, so none of its fixtures is called unused."""
    root = tmp_path / "trees"
    root.mkdir()
    (root / "pytest.ini").write_text("[pytest]\n")
    generate(root, 0)
    assert fixlint_unused(root, ".")
    assert not fixlint_unused(root, "t0/sub/conftest.py", "t0/test_m0.py")
