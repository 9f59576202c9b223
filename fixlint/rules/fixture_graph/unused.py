from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property, partial
from pathlib import Path
from typing import Optional

from fixlint.facts.model import ClassFact, FixtureFact
from fixlint.files import fs
from fixlint.findings import Applicability, Finding, Fix, FixDeclined
from fixlint.modules import SourceFile
from fixlint.pytest_model.analysis import project_analysis
from fixlint.pytest_model.builtins import BUILTIN_FIXTURES, PLUGIN_FIXTURES
from fixlint.pytest_model.collection import (
    from_rootdir,
    holds_other_items,
    in_testpaths,
    is_test_class,
    is_test_file,
)
from fixlint.pytest_model.fixturedefs import Holder
from fixlint.pytest_model.installed import installed_plugin_fixtures
from fixlint.pytest_model.project import Project, is_test_module
from fixlint.rules.base import Example, Rule, fixture_finding
from fixlint.rules.fixture_graph.edits import removal_edits
from fixlint.rules.fixture_graph.not_found import KNOWN_FIXTURES
from fixlint.rules.fixture_graph.plugins import dependency_files

# The entry-point group that makes a distribution a pytest plugin.
PLUGIN_GROUP = "pytest11"
# Fixtures that common plugins' own fixtures request by name, for a project to override: a
# project's fixture of one of these names is set up though no test requests it, and fixlint
# reads a plugin only where it is installed.
PLUGIN_CONFIGURATION = frozenset(
    {
        # pytest-recording, pytest-vcr
        "vcr_config",
        "vcr_cassette_dir",
        "default_cassette_name",
        "record_mode",
        # pytest-django
        "django_db_setup",
        "django_db_modify_db_settings",
        "django_db_use_migrations",
        "django_db_keepdb",
        "django_db_createdb",
        # celery.contrib.pytest
        "celery_config",
        "celery_includes",
        "celery_parameters",
        "celery_worker_parameters",
        "celery_worker_pool",
        "celery_enable_logging",
        # anyio
        "anyio_backend",
    }
)


class FixtureUnused(Rule):
    """## What it does
    Finds a fixture that no test of the suite sets up: no test requests it (as an argument,
    through another fixture, a `usefixtures` mark, `pytestmark`, `getfixturevalue("name")`), it
    is not autouse, or every test that requests its name gets an override that does not request
    it (it is shadowed everywhere).

    ## Why is this bad?
    Dead code that looks alive: readers keep it in step with the code it sets up, and a later
    test that requests the name may get something nobody has run for years. pytest never says
    so; `pytest --fixtures-per-test` lists it for no test.

    fixlint says nothing where it cannot know every request:
    - in a run that did not read every test module and conftest of the suite (what `pytest`
      collects in the rootdir: `testpaths`, or all of it). A run on named files, as pre-commit
      makes, or with test files excluded, judges nothing;
    - for the fixtures a `getfixturevalue` call with a non-literal argument may reach: in a test
      module, those named by a string literal of the module or held by one of its lists,
      tuples and sets (``params=[fx_a, fx_b]`` set up by ``request.param.__name__``); in a
      conftest or another module, every fixture the tests below it see;
    - for those tests may reach through a class fixlint cannot read (`unittest.TestCase`, a
      base class of another module), and those a module that does not compile would see;
    - for an autouse fixture of a conftest whose folder holds a file another collector may
      make items of (a plugin's Markdown or YAML tests, `test*.txt` doctests): it applies to
      every item under the folder, whichever plugin made it; and for any fixture of such a
      conftest with no test module below it: those items may request it by name (a Markdown
      page's `fixture:` fence, a doctest's `getfixture`);
    - for fixtures named as pytest's, an installed plugin's, one of `known-fixtures`, or one
      that common plugins request to be configured (`vcr_config`, `django_db_setup`),
      defined in a branch, of a class another module imports, or listed in a module's `__all__`;
    - when the project is a pytest plugin (a `pytest11` entry point), for those outside its
      test modules and conftests.

    ## Example
    ```python
    # conftest.py
    @pytest.fixture
    def legacy_client():
        return Client(version=1)

    # tests/test_api.py: no test requests `legacy_client`
    def test_get(client): ...
    ```

    ## Use instead
    Delete it, with the imports only it used.

    ## Fix safety
    Unsafe: code fixlint does not read (another project using this one's fixtures, a plugin
    requesting one by name) may still set it up. The fix deletes the fixture and the imports
    nothing else in the module uses; it declines where the module uses the function's name
    elsewhere, another module imports it, or it is made by calling the decorator
    (`x = pytest.fixture(f)`).

    ## Options
    Off by default: turn it on with `extend-select = ["fixture-unused"]` (or `--extend-select`).
    `[tool.fixlint.fixture-graph] known-fixtures`: fixtures of plugins fixlint cannot read, which
    a project's fixtures of the same name override (shared with fixture-not-found).
    """

    name = "fixture-unused"
    family = "fixture-graph"
    blocks = "maintenance"
    summary = "A fixture that no test of the suite ever sets up (never requested, or shadowed everywhere)"
    fix = Applicability.UNSAFE
    # Off until its precision is judged on real suites. Its fix scales: a module is parsed once
    # for all its removals, and they are applied in one round (the 160-file bench corpus: 129).
    default_enabled = False
    options_schema = {"known-fixtures": KNOWN_FIXTURES}
    examples = (
        Example(
            files={
                "conftest.py": (
                    "import pytest\n\n\n@pytest.fixture\ndef client():\n    return 2\n\n\n"
                    "@pytest.fixture\ndef legacy_client():\n    return 1\n"
                ),
                "test_api.py": "def test_get(client):\n    assert client == 2\n",
            },
            expected=("conftest.py:9 fixture-unused",),
            fixed={"conftest.py": "import pytest\n\n\n@pytest.fixture\ndef client():\n    return 2\n"},
        ),
        Example(
            # Requested through another fixture, getfixturevalue and usefixtures; autouse.
            files={
                "conftest.py": (
                    "import pytest\n\n\n@pytest.fixture\ndef db():\n    return 1\n\n\n"
                    "@pytest.fixture\ndef user(db):\n    return db\n\n\n"
                    "@pytest.fixture\ndef token():\n    return 't'\n\n\n"
                    "@pytest.fixture\ndef clean():\n    yield\n\n\n"
                    "@pytest.fixture(autouse=True)\ndef env():\n    yield\n"
                ),
                "test_api.py": (
                    "import pytest\n\n\n@pytest.mark.usefixtures('clean')\ndef test_get(user, request):\n"
                    "    assert request.getfixturevalue('token') == 't'\n"
                ),
            },
        ),
    )

    def check_project(self, project: Project) -> Iterator[Finding]:
        used = project_analysis(project).users
        by_rootdir: dict[Path, list[SourceFile]] = {}
        for path in sorted(project.files):
            file = project.files[path]
            if file.facts.fixtures:
                by_rootdir.setdefault(file.config.rootdir, []).append(file)
        provided = (
            frozenset(BUILTIN_FIXTURES)
            | frozenset(PLUGIN_FIXTURES)
            | frozenset(fixture.name for fixture in installed_plugin_fixtures(project.environment))
            | frozenset(self.options["known-fixtures"])
            | PLUGIN_CONFIGURATION
        )
        for rootdir, files in by_rootdir.items():
            if not whole_rootdir_read(project, files[0]):
                continue
            suite = _Suite(project, rootdir)
            for file in files:
                # A definition a later one of the same name in its module or class hides is
                # fixture-duplicate's finding: one defect, one finding.
                last = {(fact.owner, fact.name): fact for fact in file.facts.fixtures}
                for fact in file.facts.fixtures:
                    if id(fact) in used or id(fact) in suite.unseen or fact.name in provided:
                        continue
                    if last[(fact.owner, fact.name)] is not fact:
                        continue
                    if suite.judges(file, fact):
                        yield self._finding(project, suite, file, fact)

    def _finding(self, project: Project, suite: _Suite, file: SourceFile, fact: FixtureFact) -> Finding:
        overrides = suite.overrides(fact)
        message = f"fixture `{fact.name}` is set up by no test of the suite: "
        if overrides:
            where = ", ".join(overrides[:2])
            message += f"every test that sees it and requests `{fact.name}` gets another definition ({where})"
        else:
            message += "no test requests it (as an argument, through a fixture, `usefixtures` or `getfixturevalue`)"
        message += "; delete it if nothing outside this suite uses it"
        path = str(file.path)
        qualname = f"{fact.owner}.{fact.func_name}" if fact.owner else fact.func_name
        edits = partial(_removal, suite, file, qualname, fact.assigned)
        return fixture_finding(
            self.name,
            path,
            fact,
            message,
            fix=Fix(Applicability.UNSAFE, edits),
            severity="warning",
            data={"fixture": fact.name, "overrides": overrides},
        )


def _removal(suite: _Suite, file: SourceFile, qualname: str, assigned: bool) -> tuple:
    if assigned:
        raise FixDeclined("it is made by calling the decorator: delete the assignment and what it wraps by hand")
    importers = [from_rootdir(other, suite.rootdir) for other in suite.importers(file, qualname.rpartition(".")[2])]
    if importers:
        raise FixDeclined(f"{' and '.join(importers[:2])} import{'s' if len(importers) == 1 else ''} it")
    return removal_edits(str(file.path), suite.project.read(file.path), qualname)


def whole_rootdir_read(project: Project, file: SourceFile) -> bool:
    """Every test module and conftest of the suite (what ``pytest`` collects in the rootdir: its
    ``testpaths``, or all of it) was read: only then is a fixture that no test sets up unused (a
    run on named files reads the conftests above them, not the tests beside them)."""
    config = file.config
    return all(
        path in project.files
        for path in project.modules_under(config.rootdir)
        if (path.name == "conftest.py" or is_test_file(path, config)) and in_testpaths(path, config)
    )


class _Suite:
    """What one rootdir's tests show beyond the fixtures they set up: the fixtures fixlint
    cannot rule out (``unseen``), and where the fixtures set up are defined, by name."""

    def __init__(self, project: Project, rootdir: Path) -> None:
        self.project = project
        self.rootdir = rootdir
        self.files = [file for file in project.files.values() if file.config.rootdir == rootdir]
        self.tests = [test for test in project.tests() if test.config.rootdir == rootdir]
        self.unseen: set[int] = set()
        self._seen_chains: set[tuple[int, ...]] = set()
        self._read_unseen()
        self.used = project_analysis(project).users
        # The definitions tests set up, by name, with where they stand.
        self.used_definitions: dict[str, list[tuple[FixtureFact, str]]] = {}
        for file in self.files:
            for fact in file.facts.fixtures:
                if id(fact) in self.used:
                    where = f"{from_rootdir(file.path, rootdir)}:{fact.line}"
                    self.used_definitions.setdefault(fact.name, []).append((fact, where))
        self.exported = {name for file in self.files for name in file.facts.exports or ()}
        self.imported_names = {
            original for file in self.files for imported in file.facts.imports for original, _ in imported.names
        }
        self.is_plugin = _declares_plugin(rootdir)
        self._other_items: dict[Path, bool] = {}

    def overrides(self, fact: FixtureFact) -> list[str]:
        """Where the definitions stand that the tests which see ``fact`` get when they request its
        name (it is shadowed for them); empty when none of them requests it."""
        found = []
        for other, where in self.used_definitions.get(fact.name, ()):
            for test in self.used[id(other)]:
                if any(
                    fixturedef.fact is fact for holder in test.chain for fixturedef in holder.defs.get(fact.name, ())
                ):
                    found.append(where)
                    break
        return found

    # -- what fixlint cannot rule out ------------------------------------------------------
    def _read_unseen(self) -> None:
        names_of: dict[Path, Optional[frozenset[str]]] = {}
        for test in self.tests:
            dynamic = test.file.facts.dynamic_requests
            if dynamic is not None:
                if test.file.path not in names_of:
                    names_of[test.file.path] = frozenset(dynamic) or None
                self._add_chain(test.chain, names_of[test.file.path])
        for file in self.files:
            folder = file.path.parent
            if is_test_module(file):
                conftests = tuple(self.project.conftest_holders(folder, self.rootdir))
                if file.facts.syntax_error is not None:
                    self._add_chain(conftests, None)
                for classes in _inheriting(file):
                    # Tests it inherits from a class fixlint cannot read may request any fixture it sees.
                    holders = tuple(self.project.class_holder(file, cls) for cls in classes)
                    self._add_chain((*conftests, self.project.module_holder(file.path), *holders), None)
            if any(fact.requests_unread for fact in file.facts.fixtures):
                # A fixture wrapping a function fixlint does not read may request any name its tests see.
                self._add_callers(folder if file.is_conftest or is_test_module(file) else self.rootdir)
            if file.facts.dynamic_requests is None or is_test_module(file):
                continue
            # A conftest's or a helper's dynamic request: any name its callers see.
            self._add_callers(folder if file.is_conftest else self.rootdir)

    def _add_callers(self, below: Path) -> None:
        """Every fixture the tests under ``below`` see may be requested."""
        for test in self.tests:
            if below in test.file.path.parents:
                self._add_chain(test.chain, None)

    def _add_chain(self, chain: tuple[Holder, ...], names: Optional[frozenset[str]]) -> None:
        key = (*map(id, chain), id(names))
        if key in self._seen_chains:
            return
        self._seen_chains.add(key)
        for holder in chain:
            for name, defs in holder.defs.items():
                if names is None or name in names:
                    self.unseen.update(id(fixturedef.fact) for fixturedef in defs if fixturedef.fact is not None)

    # -- what the rule judges --------------------------------------------------------------
    def judges(self, file: SourceFile, fact: FixtureFact) -> bool:
        if fact.branch or fact.autouse_dynamic or fact.func_name in self.exported:
            return False
        if self.is_plugin and not (file.is_conftest or is_test_module(file)):
            return False
        if file.is_conftest and fact.owner is None and self._for_other_items(file.path.parent, fact.autouse):
            return False
        return fact.owner is None or self._judged_class(file, fact.owner)

    def _for_other_items(self, folder: Path, autouse: bool) -> bool:
        """The conftest's fixture may be set up for items another collector makes below it: an
        autouse one applies to them all; any other may be requested by name where no Python
        test stands below (a Markdown page's ``fixture:`` fence, a doctest's ``getfixture``)."""
        if not autouse and folder in self._test_folders:
            return False
        if folder not in self._other_items:
            self._other_items[folder] = holds_other_items(folder)
        return self._other_items[folder]

    @cached_property
    def _test_folders(self) -> set[Path]:
        """The folders a test module of the suite stands in, and those above them."""
        paths = {test.file.path for test in self.tests}
        return {folder for path in paths for folder in path.parents}

    def _judged_class(self, file: SourceFile, owner: str) -> bool:
        """A class fixture is judged when fixlint knows every test that sees it: its class is
        collected in its module, and no module imports the class to inherit from it."""
        if not is_test_module(file) or owner.split(".")[0] in self.imported_names:
            return False
        parts = owner.split(".")
        for depth in range(1, len(parts) + 1):
            cls = file.classes.get(".".join(parts[:depth]))
            if cls is None or cls.has_init or not is_test_class(parts[depth - 1], file.config):
                return False
        return True

    def importers(self, file: SourceFile, name: str) -> list[Path]:
        """The other modules that import ``name`` from the file (or all of it with ``*``)."""
        found = []
        for other in self.project.files.values():
            for imported in other.facts.imports:
                if not imported.star and all(original != name for original, _ in imported.names):
                    continue
                if self.project.resolve_import(other, imported.module, imported.level) == file.path:
                    found.append(other.path)
                    break
        return sorted(found)


def _inheriting(file: SourceFile) -> Iterator[list[ClassFact]]:
    """The classes of a test module (each with the classes it nests in, outermost first) that
    inherit from a class fixlint cannot read: another module's, ``unittest.TestCase``."""
    classes = file.classes
    for cls in file.facts.classes:
        scope = cls.qualname.rpartition(".")[0]
        if any(
            base not in ("object", "") and base not in classes and f"{scope}.{base}" not in classes
            for base in cls.bases
        ):
            parts = cls.qualname.split(".")
            yield [
                classes[".".join(parts[:depth])]
                for depth in range(1, len(parts) + 1)
                if ".".join(parts[:depth]) in classes
            ]


def _declares_plugin(rootdir: Path) -> bool:
    """The project registers a pytest plugin (a ``pytest11`` entry point): its fixtures are for
    other projects too."""
    return any(PLUGIN_GROUP in _text(path) for path in dependency_files(rootdir))


def _text(path: Path) -> str:
    try:
        return fs.read_bytes(path).decode("utf-8", errors="replace")
    except OSError:
        return ""
