from __future__ import annotations

import weakref
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Optional

from fixlint.facts.model import ImportFact
from fixlint.files.display import message_path
from fixlint.findings import Applicability, Edit, Finding, Fix, FixDeclined
from fixlint.modules import SourceFile, module_name
from fixlint.pytest_model.builtins import BUILTIN_FIXTURES, PLUGIN_FIXTURES
from fixlint.pytest_model.collection import from_rootdir
from fixlint.pytest_model.fixturedefs import FixtureDef
from fixlint.pytest_model.project import Project, is_test_module
from fixlint.rules.base import Example, Rule
from fixlint.rules.fixture_graph.edits import plugin_edits, removal_of_import
from fixlint.rules.fixture_graph.visibility import import_problem


class FixtureImported(Rule):
    """## What it does
    Finds a fixture imported into a test module by name (`from fixtures import db`): pytest
    registers every fixture function bound in the module, so the import is how the module's tests
    get it.

    ## Why is this bad?
    Nothing in the module reads the name, so linters take the import for dead code: ruff's
    F401 removes it (and the tests then fail with "fixture 'db' not found"), and F811 flags each
    test that takes `db` as a parameter. A fixture imported into a module also overrides a
    conftest fixture of the same name for that module alone, which a reader of the conftest
    does not expect. An import written `from fixtures import db as db` is the explicit
    re-export linters accept, and a module that reads the name as a value gives linters no
    unused import: both are reported only where they override a fixture so. Where the conftests
    already provide the same fixture, the import only repeats it.

    ## Example
    ```python
    # tests/test_orders.py
    from tests.fixtures.db import db

    def test_order(db): ...
    ```

    ## Use instead
    Provide it where pytest looks for fixtures: in the nearest `conftest.py`, as a
    `pytest_plugins = ["tests.fixtures.db"]` entry in the root conftest, or as a re-export
    (`from tests.fixtures.db import db  # noqa: F401`).

    ## Fix safety
    Unsafe: the fixture moves to the nearest `conftest.py` above the module, as an entry of the
    rootdir conftest's `pytest_plugins` list where the project registers fixture modules so
    (pytest 8 refuses `pytest_plugins` in other conftests; none of the module's fixtures may be
    autouse or take a name of pytest's), else as a re-export; the import leaves the test module.
    The fixture is then for every test below that conftest too, which code fixlint does not read
    may notice. Where the conftests provide it already, the fix only deletes the import. The
    fix declines where the module reads the name itself, where no conftest stands above it,
    where the fixture is autouse, where the tests below the conftest get another fixture of
    that name (the import overrode it for this module alone), where another module imports the
    name from this one (a re-export kept for it), and where the fixture's module
    does not import (an import in it, its packages or the modules of the tree they import fails,
    as import-unresolved says): from the conftest its error would stop every test below it.
    """

    name = "fixture-imported"
    family = "fixture-graph"
    blocks = "maintenance"
    summary = "A fixture imported into a test module by name, where linters take it for an unused import"
    fix = Applicability.UNSAFE
    examples = (
        Example(
            files={
                "fixtures.py": "import pytest\n\n@pytest.fixture\ndef db():\n    return {}\n",
                "conftest.py": "import pytest\n",
                "test_orders.py": "from fixtures import db\n\n\ndef test_order(db):\n    assert db == {}\n",
            },
            expected=("test_orders.py:1 fixture-imported",),
            fixed={
                "conftest.py": "import pytest\nfrom fixtures import db  # noqa: F401\n",
                "test_orders.py": "def test_order(db):\n    assert db == {}\n",
            },
        ),
        Example(
            # A module imported whole registers nothing; a helper function is not a fixture.
            files={
                "fixtures.py": (
                    "import pytest\n\ndef make_db():\n    return {}\n\n@pytest.fixture\ndef db():\n    return {}\n"
                ),
                "conftest.py": "from fixtures import db  # noqa: F401\n",
                "test_orders.py": (
                    "import fixtures\nfrom fixtures import make_db\n\n\n"
                    "def test_order(db):\n    assert db == make_db()\n"
                ),
            },
        ),
    )

    def check_project(self, project: Project) -> Iterator[Finding]:
        for path in sorted(project.files):
            file = project.files[path]
            if not is_test_module(file) or file.facts.syntax_error is not None:
                continue
            registered = _registered_elsewhere(project, file)
            for imported in file.facts.imports:
                for name, bound in imported.names:
                    if name not in registered:
                        continue
                    fixturedef = registered[name]
                    provided = _from_conftests(project, file, fixturedef.name)
                    shadowed = [
                        f"{message_path(other.path)}:{other.fact.line}"
                        for other in provided
                        if other.path != fixturedef.path and other.fact is not None
                    ]
                    # Marked as a re-export, or read as a value: linters accept it; it overrides nothing.
                    if (name in imported.reexports or bound in file.facts.globals_read) and not shadowed:
                        continue
                    redundant = bool(provided) and provided[-1].fact is fixturedef.fact
                    yield self._finding(project, file, imported, bound, fixturedef, shadowed, redundant)

    def _finding(
        self,
        project: Project,
        file: SourceFile,
        imported: ImportFact,
        bound: str,
        fixturedef: FixtureDef,
        shadowed: list[str],
        redundant: bool,
    ) -> Finding:
        source = message_path(fixturedef.path)
        provide = "provide it from a conftest.py (a `pytest_plugins` entry or a re-export)"
        if redundant:
            message = (
                f"fixture `{fixturedef.name}` ({source}) is imported by name, and the conftests provide it "
                "already: linters take it for an unused import; delete the import"
            )
        elif bound in imported.reexports or bound in file.facts.globals_read:
            message = (
                f"fixture `{fixturedef.name}` ({source}) is imported by name and overrides, for this module alone, "
                f"the fixture of that name from the conftests ({shadowed[-1]}); {provide}"
            )
        else:
            message = (
                f"fixture `{fixturedef.name}` ({source}) is imported by name: "
                f"linters take it for an unused import; {provide}"
            )
            if shadowed:
                message += f"; here it overrides the fixture of that name from the conftests ({shadowed[-1]})"
        return Finding(
            self.name,
            str(file.path),
            imported.line,
            imported.column,
            imported.line,
            imported.column,
            message,
            fix=Fix(Applicability.UNSAFE, partial(_move, project, file, imported, bound, fixturedef)),
            data={"fixture": fixturedef.name, "fixture_path": fixturedef.path},
        )


def _move(project: Project, file: SourceFile, imported: ImportFact, bound: str, fixturedef: FixtureDef) -> tuple:
    """The edits that provide the fixture from the nearest conftest and take the import out of
    the test module; ``FixDeclined`` where that would change what another test gets."""
    rootdir = file.config.rootdir
    fact = fixturedef.fact
    assert fact is not None
    conftest = _nearest_conftest(project, file)
    if conftest is None:
        raise FixDeclined("no conftest.py stands above the module to provide it")
    if fact.autouse:
        raise FixDeclined("it is autouse: from a conftest it would run for every test below it")
    below = conftest.path.parent
    seen = [
        other
        for holder in (project.session_holder(file.config), *project.conftest_holders(below, rootdir))
        for other in holder.defs.get(fixturedef.name, ())
    ]
    edits: list[Edit] = []
    # The last one seen is the one the tests get: this fixture already (the import only repeats
    # it), another, or none yet.
    if not seen or seen[-1].fact is not fact:
        if seen:
            where = _where(seen[-1], rootdir)
            raise FixDeclined(
                f"the tests below {from_rootdir(conftest.path, rootdir)} get another `{fixturedef.name}` ({where})"
            )
        if bound in conftest.facts.module_names:
            raise FixDeclined(f"{from_rootdir(conftest.path, rootdir)} binds `{bound}` to something else")
        rival = _rival(project, conftest, bound, fixturedef)
        if rival is not None:
            raise FixDeclined(
                f"{from_rootdir(rival, rootdir)} imports another `{bound}`: moved to "
                f"{from_rootdir(conftest.path, rootdir)} too, one module would get the other's"
            )
        edits += _provide(project, file, imported, bound, fixturedef, conftest)
    if bound in file.facts.globals_read:
        raise FixDeclined(f"the module reads `{bound}` itself")
    importer = _importer(project, file.path, bound)
    if importer is not None:
        raise FixDeclined(f"{from_rootdir(importer, rootdir)} imports `{bound}` from this module")
    removal = removal_of_import(str(file.path), project.read(file.path), imported.line, bound)
    if not removal:
        raise FixDeclined("the import is not where the facts say: the module changed")
    return (*edits, *removal)


# Per live project (a run): by the name a test module binds, the modules that import a fixture
# under it and where that fixture is defined.
_IMPORTERS: weakref.WeakKeyDictionary[Project, dict[str, list[tuple[Path, str]]]] = weakref.WeakKeyDictionary()


# Per live project (a run): by module, the names other modules of the tree import from it (None: all, a star import).
_IMPORTED_FROM: weakref.WeakKeyDictionary[Project, dict[Path, dict[Optional[str], Path]]] = weakref.WeakKeyDictionary()


def _importer(project: Project, module: Path, bound: str) -> Optional[Path]:
    """A module of the tree that imports ``bound`` from ``module`` (by name or with a star): the
    import it makes would fail once the name leaves ``module``."""
    if project not in _IMPORTED_FROM:
        imported_from: dict[Path, dict[Optional[str], Path]] = {}
        for path, source in list(project.files.items()):
            for imported in source.facts.imports:
                target = project.resolve_import(source, imported.module, imported.level)
                if target is None or target == path:
                    continue
                names = imported_from.setdefault(target, {})
                for name in [None] if imported.star else [name for name, _ in imported.names]:
                    names.setdefault(name, path)
        _IMPORTED_FROM[project] = imported_from
    names = _IMPORTED_FROM[project].get(module, {})
    return names.get(bound) or names.get(None)


def _nearest_conftest(project: Project, file: SourceFile) -> Optional[SourceFile]:
    rootdir = file.config.rootdir
    folder = file.path.parent
    return next(
        (
            found
            for other in (folder, *folder.parents)
            if other == rootdir or rootdir in other.parents
            if (found := project.source(other / "conftest.py")) is not None
        ),
        None,
    )


def _target(project: Project, file: SourceFile) -> Optional[Path]:
    nearest = _nearest_conftest(project, file)
    return None if nearest is None else nearest.path


def _rival(project: Project, conftest: SourceFile, bound: str, fixturedef: FixtureDef) -> Optional[Path]:
    """A test module that imports another fixture under the same name and whose nearest conftest
    is this one: the fixes of both would move them into it (in one fix round, side by side)."""
    if project not in _IMPORTERS:
        importers: dict[str, list[tuple[Path, str]]] = {}
        for path, file in project.files.items():
            if is_test_module(file):
                registered = _registered_elsewhere(project, file)
                for imported in file.facts.imports:
                    for name, name_bound in imported.names:
                        if name in registered:
                            importers.setdefault(name_bound, []).append((path, registered[name].path))
        _IMPORTERS[project] = importers
    return next(
        (
            path
            for path, source in _IMPORTERS[project].get(bound, ())
            if source != fixturedef.path and _target(project, project.files[path]) == conftest.path
        ),
        None,
    )


def _from_conftests(project: Project, file: SourceFile, name: str) -> list[FixtureDef]:
    """The fixtures of that name the module's tests would see without the import (from its
    conftests, or the modules their ``pytest_plugins`` name), the one they get last."""
    holders = (project.session_holder(file.config), *project.conftest_holders(file.path.parent, file.config.rootdir))
    return [fixture for holder in holders for fixture in holder.defs.get(name, ())]


def _where(fixturedef: FixtureDef, rootdir: Path) -> str:
    if fixturedef.fact is None:
        return "pytest's or a plugin's"
    return f"{from_rootdir(Path(fixturedef.path), rootdir)}:{fixturedef.fact.line}"


def _provide(
    project: Project, file: SourceFile, imported: ImportFact, bound: str, fixturedef: FixtureDef, conftest: SourceFile
) -> tuple[Edit, ...]:
    """A ``pytest_plugins`` entry where the project registers its fixture modules so (in the
    rootdir's conftest: pytest refuses ``pytest_plugins`` in others), else a re-export."""
    source = Path(fixturedef.path)
    module = imported.module if imported.level == 0 else module_name(source)
    if project.resolve_import(conftest, module, 0) != source:
        raise FixDeclined(f"`{module}` names another module from {conftest.path.name}")
    # A test module whose import fails is one collection error; a conftest's stops every test below it.
    problem = import_problem(project, source)
    if problem is not None:
        raise FixDeclined(
            f"`{module}` does not import ({problem}): from {conftest.path.name}, its error would stop "
            "the collection of every test below it"
        )
    name = next(original for original, other in imported.names if other == bound)
    root = conftest.path.parent == conftest.config.rootdir
    if root and conftest.facts.pytest_plugins and _plugin_safe(project, source):
        edits = plugin_edits(str(conftest.path), project.read(conftest.path), module)
        if edits:
            return edits
    alias = f" as {bound}" if bound != name else ""
    # After the conftest's own setup, as when the test module imported it: a fixture module may
    # import code that reads the environment or the modules the conftest stubs.
    after = max(conftest.facts.last_import_line, conftest.facts.setup_end_line)
    reexport = f"from {module} import {name}{alias}  # noqa: F401"
    text = f"\n{reexport}" if after and after == conftest.facts.unterminated_line else f"{reexport}\n"
    return (Edit(str(conftest.path), after + 1, 1, after + 1, 1, text, unordered=True),)


def _plugin_safe(project: Project, source: Path) -> bool:
    """Registered for the session, the module's every fixture is for every test: none of them
    may be autouse or take the name of pytest's or a plugin's fixture."""
    module = project.source(source)
    if module is None or module.is_conftest or is_test_module(module):
        return False
    provided = set(BUILTIN_FIXTURES) | set(PLUGIN_FIXTURES)
    return not any(fact.autouse or fact.name in provided for fact in module.facts.fixtures)


def _registered_elsewhere(project: Project, file: SourceFile) -> dict[str, FixtureDef]:
    """The fixtures the module registers that another file defines (it imported them), by the
    name of their function."""
    return {
        fixturedef.fact.func_name: fixturedef
        for defs in project.module_holder(file.path).defs.values()
        for fixturedef in defs
        if fixturedef.fact is not None and fixturedef.path != str(file.path)
    }
