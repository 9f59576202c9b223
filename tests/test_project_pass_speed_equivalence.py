"""The project pass's shortcuts give what the plain way gives: walks shared by the tests of a
context make the same requests, in the same order, as pytest's own walk per test; and a cache
entry of the wrong shape is ignored and rewritten."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from fixlint.facts.file_pass import FilePass
from fixlint.modules import SourceFile
from fixlint.pytest_model import closure
from fixlint.pytest_model.config import ConfigFinder
from fixlint.pytest_model.project import Project

NAMES = [f"f{index}" for index in range(7)]


def fixture(rng: random.Random, name: str, indent: str = "", own: bool = False, pool: list[str] = NAMES) -> str:
    """A fixture of a random scope that requests a few of ``pool`` (itself too, when it overrides)."""
    requests = rng.sample([n for n in pool if n != name], min(len(pool), rng.randint(0, 3))) + ([name] if own else [])
    rng.shuffle(requests)
    scope = rng.choice(["function", "class", "module", "session"])
    params = ", ".join((["self"] if indent else []) + requests + (["request"] if rng.random() < 0.2 and pool else []))
    body = f'{indent}    request.getfixturevalue("{rng.choice(pool)}")\n' if "request" in params and pool else ""
    return f'{indent}@pytest.fixture(scope="{scope}")\n{indent}def {name}({params}):\n{body}{indent}    return 1\n\n'


def tree(root: Path, seed: int) -> None:
    rng = random.Random(seed)
    (root / "sub").mkdir(parents=True)
    (root / "pytest.ini").write_text("[pytest]\n")
    (root / "conftest.py").write_text(
        "import pytest\n\n" + "".join(fixture(rng, name, pool=NAMES[:index]) for index, name in enumerate(NAMES))
    )
    overridden = rng.sample(NAMES, 2)
    (root / "sub/conftest.py").write_text(
        "import pytest\n\n" + "".join(fixture(rng, name, own=rng.random() < 0.7) for name in overridden)
    )
    source = "import pytest\n\n" + fixture(rng, rng.choice(NAMES), own=rng.random() < 0.5)
    for index in range(8):
        args = rng.sample(NAMES, rng.randint(1, 3))
        if rng.random() < 0.3:
            source += f'@pytest.mark.parametrize("{args[0]}", [1, 2])\n'
        if rng.random() < 0.3:
            args.append("request")
            source += f'def test_{index}({", ".join(args)}):\n    request.getfixturevalue("{rng.choice(NAMES)}")\n\n'
        else:
            source += f"def test_{index}({', '.join(args)}):\n    pass\n\n"
    source += "class TestGroup:\n" + fixture(rng, rng.choice(NAMES), indent="    ", own=rng.random() < 0.5)
    source += "".join(
        f"    def test_m{index}(self, {', '.join(rng.sample(NAMES, 2))}):\n        pass\n\n" for index in range(4)
    )
    (root / "sub/test_x.py").write_text(source)


def project_of(root: Path) -> Project:
    """The project of the tree, its modules read as a run reads them: by the file pass."""
    finder = ConfigFinder(root)
    file_pass = FilePass()

    def load(path: Path) -> SourceFile:
        data = path.read_bytes()
        facts = file_pass.facts(path, data)
        assert facts.syntax_error is None, facts.syntax_error
        return SourceFile(path, facts, finder.governing(path.parent), file_pass.digest(path, data))

    project = Project({}, load, lambda path: path.read_bytes(), lambda top: [])
    for path in sorted(root.rglob("*.py")):
        project.source(path)
    return project


@pytest.mark.parametrize("seed", range(60))
def test_shared_walks_make_the_requests_of_the_walk_per_test(tmp_path: Path, seed: int) -> None:
    tree(tmp_path, seed)
    project = project_of(tmp_path)
    tests = list(project.tests())
    assert tests
    for test in tests:
        view = closure.TestView(project, test)
        exact = view.resolution.walk_exactly(view.initial_names, test.function.getfixturevalue)
        assert view.edges == list(dict.fromkeys(exact)), test.nodeid


def test_a_cache_entry_of_the_wrong_shape_is_ignored_and_rewritten(tmp_path: Path, run_fixlint, facts_only) -> None:
    root = tmp_path / "tree"
    tree(root, 0)
    cache = tmp_path / "cache"
    expected = run_fixlint(root, "check", "--format", "json", "--exit-zero", "--cache-dir", str(cache), ".").stdout
    entries = facts_only(cache)
    for index, entry in enumerate(entries):
        content = json.loads(entry.read_text())
        # a field missing, a list where a fixture belongs, an object where the facts belong
        content["facts"] = [
            content["facts"][:-1],
            [*content["facts"][:1], [[1]], *content["facts"][2:]],
            {"path": "x"},
        ][index % 3]
        entry.write_text(json.dumps(content))
    assert (
        run_fixlint(root, "check", "--format", "json", "--exit-zero", "--cache-dir", str(cache), ".").stdout == expected
    )
    assert all(
        len(json.loads(entry.read_text())["facts"]) == len(json.loads(entries[0].read_text())["facts"])
        for entry in entries
    )


IMPORTING_TREE = {
    "pytest.ini": "[pytest]\n",
    "tests/conftest.py": "from helpers import fixtures\n",
    "tests/test_a.py": "from app.models import User\nfrom helpers.make import *\nimport app.missing\n",
    "tests/test_b.py": "from app import service, views\nfrom . import missing_sibling\n",
    "helpers/__init__.py": "",
    "helpers/fixtures.py": "from .make import build\n",
    "helpers/make.py": "from app.models import User\nfrom helpers import fixtures\n",  # a cycle
    "app/__init__.py": "from app.models import *\n",
    "app/models.py": "from app.db import Base\n",
    "app/db.py": "import sqlalchemy\n",
    "app/service.py": "from .views import render\n",
    "app/views.py": "from app.templates.html import page\n",
    "app/templates/__init__.py": "",
    "app/templates/html.py": "",
    "app/unused.py": "",
}


def test_imported_modules_loaded_ahead_are_those_read_one_at_a_time_in_the_same_order(tmp_path: Path) -> None:
    """``preload_imported_modules`` makes, a generation at a time, the facts of the modules that
    ``load_imported_modules`` then reads; the project reads the same files in the same order."""
    for relative, source in IMPORTING_TREE.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(source)
    finder = ConfigFinder(tmp_path)

    def project(prefetched: list[list[Path]], loaded: list[Path]) -> Project:
        file_pass = FilePass()

        def load(path: Path) -> SourceFile:
            loaded.append(path)
            data = path.read_bytes()
            return SourceFile(path, file_pass.facts(path, data), finder.governing(path.parent))

        def prefetch(paths) -> None:
            prefetched.append(list(paths))
            file_pass.prefetch(paths, lambda path: path.read_bytes())

        made = Project({}, load, lambda path: path.read_bytes(), lambda top: [], prefetch=prefetch)
        for path in sorted((tmp_path / "tests").glob("*.py")):
            made.source(path)
        return made

    plain_loaded: list[Path] = []
    plain = project([], plain_loaded)
    plain.load_imported_modules()
    prefetched: list[list[Path]] = []
    loaded: list[Path] = []
    ahead = project(prefetched, loaded)
    ahead.preload_imported_modules()
    assert sorted(loaded) == sorted(plain_loaded)  # each file loaded once, before a rule asks
    count = len(loaded)
    ahead.load_imported_modules()
    assert len(loaded) == count
    assert list(ahead.files) == list(plain.files)
    assert [[path.relative_to(tmp_path).as_posix() for path in generation] for generation in prefetched] == [
        ["app/__init__.py", "app/models.py", "app/service.py", "app/views.py", "helpers/__init__.py",
         "helpers/fixtures.py", "helpers/make.py"],
        ["app/db.py", "app/templates/html.py"],
    ]  # fmt: skip
    assert tmp_path / "app/unused.py" not in ahead.files
