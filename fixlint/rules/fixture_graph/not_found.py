from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from typing import Any, Optional

from fixlint.facts.model import FixtureFact
from fixlint.files.display import message_path
from fixlint.findings import Finding
from fixlint.modules import SourceFile
from fixlint.pytest_model.analysis import FailedGroup, project_analysis
from fixlint.pytest_model.config import PytestConfig
from fixlint.pytest_model.installed import installed_plugin_fixtures, module_fixtures
from fixlint.pytest_model.project import Project, TestItem
from fixlint.rules.base import Example, Option, Rule, fixture_finding, tests_phrase
from fixlint.rules.fixture_graph.plugins import missing_requirements
from fixlint.rules.fixture_graph.visibility import generates_tests, imports, lineage, sees_every_definition

KNOWN_FIXTURES = Option([], "Fixtures that plugins fixlint cannot read provide, by name.")
ASSUME_PLUGINS_KNOWN = Option(
    False,
    "Report even where the project names pytest plugins fixlint cannot read (their fixtures are then "
    "taken to be `known-fixtures` and those of the plugins installed in the environment fixlint reads).",
)


class FixtureNotFound(Rule):
    """## What it does
    Finds a test or a fixture that requests a name no fixture visible to it provides: not in its
    module or class, not in a `conftest.py` of its folder or above, not in pytest, not in a plugin.

    ## Why is this bad?
    pytest errors with "fixture 'x' not found" when it sets the test up: a typo, a fixture
    renamed, or one defined in a sibling folder's conftest, which only the tests of that folder
    see. The message names the nearest fixtures the test does see, and where a fixture of that
    name is defined that the test cannot see.

    Names that are not requests are left alone: arguments with defaults, `self`, `*args`,
    positional-only parameters, the mocks `mock.patch` decorators pass, the names a test
    parametrizes (directly or indirectly), `request`. Tests that a `pytest_generate_tests` hook
    of their module, class, conftests or plugins may parametrize are not judged, nor
    `unittest.TestCase` methods, nor tests whose class inherits from a class fixlint cannot read,
    nor the tests of a module pytest cannot import (one of its module-level imports, or one of
    its conftests', fails: a collection error, which import-unresolved reports, comes first; or
    its import reads a name nothing binds, a decorator or base class whose import is missing:
    a NameError at collection).

    Plugins: fixlint knows pytest's fixtures, those of the plugins registered in the suite's
    environment (the top-level `python` setting, else `VIRTUAL_ENV`, else the project's `.venv`
    or `venv`, else the one fixlint runs in; their `pytest11` entry points, read without
    importing them), of `pytest_plugins` modules and `-p` plugins it can read, and
    `known-fixtures`. Where the project names plugins fixlint cannot read (a `-p` or
    `pytest_plugins` module it does not find, a plugin dependency not installed in that
    environment: `pytest-*`, or one named otherwise such as
    `respx` or `anyio`, read from the requirement files), the rule stays quiet for that rootdir
    unless `assume-plugins-known` is set.

    ## Example
    ```python
    # conftest.py
    @pytest.fixture
    def user(): ...

    # test_users.py
    def test_name(usr):
        assert usr.name
    ```

    ## Use instead
    ```python
    def test_name(user):
        assert user.name
    ```

    ## Fix safety
    No fix: which fixture was meant is the author's choice.

    ## Options
    `[tool.fixlint.fixture-graph] known-fixtures` (fixtures of plugins fixlint cannot read) and
    `assume-plugins-known`.
    """

    name = "fixture-not-found"
    blocks = "setup-error"
    family = "fixture-graph"
    summary = "A test or fixture requests a name no visible fixture provides (pytest's 'fixture not found')"
    options_schema = {"known-fixtures": KNOWN_FIXTURES, "assume-plugins-known": ASSUME_PLUGINS_KNOWN}
    examples = (
        Example(
            files={
                "conftest.py": "import pytest\n\n@pytest.fixture\ndef user():\n    return 'ada'\n",
                "test_users.py": "def test_name(usr):\n    assert usr\n",
            },
            expected=("test_users.py:1 fixture-not-found",),
        ),
        Example(
            # Parametrized, defaulted, mocked and positional-only names are not requests.
            files={
                "test_users.py": (
                    "from unittest import mock\n\nimport pytest\n\n\n"
                    "@pytest.mark.parametrize('name', ['ada'])\n@mock.patch('os.getcwd')\n"
                    "def test_name(getcwd, name, tmp_path, other=1):\n    assert name\n"
                ),
            },
        ),
    )

    def check_project(self, project: Project) -> Iterator[Finding]:
        judge = _Judge(project, self.options)
        for group in project_analysis(project).failed.values():
            if group.lookup.defined:
                continue
            tests = [test for test in group.tests if judge.decides(test, group.lookup.name)]
            if tests:
                yield self._finding(project, judge, group, tests)

    def _finding(self, project: Project, judge: _Judge, group: FailedGroup, tests: list[TestItem]) -> Finding:
        name, requester = group.lookup.name, group.requester
        test = min(tests, key=lambda item: item.nodeid)
        nodeids = sorted({item.nodeid for item in tests})
        how = " through request.getfixturevalue()" if group.via == "getfixturevalue" else ""
        who = f"`{requester.label}`" if requester is not None else f"`{test.function.name}`"
        message = f"{who} requests `{name}`{how}, which no fixture it sees provides: \"fixture '{name}' not found\""
        if requester is not None:
            message += f" in the set-up of {tests_phrase(nodeids)}"
        elsewhere = _defined_elsewhere(judge.fixtures_named(name), test)
        if elsewhere:
            message += f"; `{name}` is defined at {', '.join(elsewhere)}, which this test does not see"
        nearest = _nearest(test, name)
        if nearest:
            message += f"; did you mean {' or '.join(nearest)}?"
        data = {"requested": name, "requester": requester.name if requester else None, "tests": nodeids}
        if requester is not None and requester.fact is not None:
            return fixture_finding(
                self.name,
                requester.path,
                requester.fact,
                message,
                data=data,
                concerns=tuple(sorted({str(item.file.path) for item in tests})),
            )
        function = test.function
        end = function.column + len(function.name)
        return Finding(
            self.name, str(test.file.path), function.line, function.column, function.line, end, message, data=data
        )


class _Judge:
    """Which tests the rule can judge, and the names plugins provide them: once per rootdir."""

    def __init__(self, project: Project, options: Mapping[str, Any]) -> None:
        self.project = project
        self.known = frozenset(options["known-fixtures"])
        self.assume_known = bool(options["assume-plugins-known"])
        self._rootdirs: dict[PytestConfig, Optional[frozenset[str]]] = {}
        self._fixtures: tuple[int, dict[str, list[tuple[SourceFile, FixtureFact]]]] = (0, {})  # (files read, index)

    def fixtures_named(self, name: str) -> list[tuple[SourceFile, FixtureFact]]:
        """The fixtures of the project registered under ``name``, in file order (indexed once per
        number of files read: judging a rootdir may read its plugins)."""
        if self._fixtures[0] != len(self.project.files):
            index: dict[str, list[tuple[SourceFile, FixtureFact]]] = {}
            for file, fact in self.project.fixture_facts():
                index.setdefault(fact.name, []).append((file, fact))
            self._fixtures = (len(self.project.files), index)
        return self._fixtures[1].get(name, [])

    def decides(self, test: TestItem, name: str) -> bool:
        provided = self._provided(test.file)
        if provided is None or name in provided:
            return False
        marks = list(test.marks())
        if any(mark.names.count("parametrize") > len(mark.parametrize) for mark in marks):
            return False  # a parametrize mark fixlint cannot read may name it
        if any(name in parametrize.argnames for mark in marks for parametrize in mark.parametrize):
            return False  # indirect: pytest reports that at collection, another error
        if not sees_every_definition(self.project, test, name):
            return False
        if generates_tests(self.project, test) or self._unreadable_class(test):
            return False
        return imports(self.project, test.file)

    def _provided(self, file: SourceFile) -> Optional[frozenset[str]]:
        """The names plugins provide the tests of the file's rootdir; None when fixlint cannot know."""
        config = file.config
        if config not in self._rootdirs:
            self._rootdirs[config] = self._plugins_of(file)
        return self._rootdirs[config]

    def _plugins_of(self, file: SourceFile) -> Optional[frozenset[str]]:
        config = file.config
        names = set(self.known) | {
            fixture.name for fixture in installed_plugin_fixtures(self.project.environment, config.disabled_plugins)
        }
        unknown = [] if self.assume_known else missing_requirements(self.project.environment, config.rootdir)
        plugins = list(config.enabled_plugins) + [
            plugin
            for other in self.project.files.values()
            if other.config.rootdir == config.rootdir
            for plugin in other.facts.pytest_plugins
        ]
        for plugin in dict.fromkeys(plugins):
            in_tree = self.project.resolve_import(file, plugin, 0)
            if in_tree is not None:
                names |= set(self.project.module_holder(in_tree).defs)
                continue
            installed = module_fixtures(self.project.environment, plugin)
            if installed is None:
                unknown.append(plugin)
            else:
                names |= {fixture.name for fixture in installed}
        if unknown and not self.assume_known:
            return None
        return frozenset(names)

    def _unreadable_class(self, test: TestItem) -> bool:
        """A ``unittest.TestCase`` method, or one of a class whose bases fixlint cannot read
        (their fixtures are the class's too)."""
        classes = test.file.classes
        for qualname in lineage(test):
            cls = classes.get(qualname)
            if cls is None:
                return True
            for base in cls.bases:
                if base.rpartition(".")[2].endswith("TestCase"):
                    return True
                scope = qualname.rpartition(".")[0]
                if base in ("object", "") or base in classes or f"{scope}.{base}" in classes:
                    continue
                return True
        return False


# Why a fixture defined there is not seen, by where it is defined.
SCOPE_NOTES = {
    "conftest": "a conftest's fixtures are for the tests of its folder and below",
    "module": "a module's fixtures are for its own tests",
    "class": "a class's fixtures are for its own tests",
}


def _defined_elsewhere(named: list[tuple[SourceFile, FixtureFact]], test: TestItem) -> list[str]:
    rootdir = test.config.rootdir
    places = []
    for file, fact in named:
        if file.config.rootdir != rootdir:
            continue
        kind = "class" if fact.owner else "conftest" if file.is_conftest else "module"
        places.append(f"{message_path(file.path)}:{fact.line} ({SCOPE_NOTES[kind]})")
    return places[:3]


def _nearest(test: TestItem, name: str) -> list[str]:
    """The visible fixtures whose names are closest to ``name``, with where they are defined."""
    visible = {}
    for holder in test.chain:
        for other, defs in holder.defs.items():
            visible[other] = defs[-1]
    nearest = []
    for other in difflib.get_close_matches(name, list(visible), n=2, cutoff=0.75):
        fixturedef = visible[other]
        if fixturedef.fact is None:
            nearest.append(f"`{other}` (pytest's or a plugin's)")
        else:
            nearest.append(f"`{other}` ({message_path(fixturedef.path)}:{fixturedef.fact.line})")
    return nearest
