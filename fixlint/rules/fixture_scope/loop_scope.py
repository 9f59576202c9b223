from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Optional

from fixlint.errors import ConfigError
from fixlint.findings import Applicability, Finding
from fixlint.modules import SourceFile
from fixlint.pytest_model.analysis import Analysis, project_analysis
from fixlint.pytest_model.closure import MATCH_FIXTURE_SCOPE, declared_scope, fixture_loop_scope, handled_by_asyncio
from fixlint.pytest_model.config import PytestConfig
from fixlint.pytest_model.fixturedefs import FixtureDef
from fixlint.pytest_model.plugins import (
    ASYNCIO_PLUGIN,
    Version,
    installed_version,
    is_disabled,
    parse_version,
    run_by_anyio,
)
from fixlint.pytest_model.project import Project, is_test_module
from fixlint.rules.base import Example, Option, Rule, fixture_finding, tests_phrase
from fixlint.rules.fixture_scope.edits import LoopIndex, LoopPlan, plan_loop

# The examples' test, and their fixture and test once fixed: both in one module loop.
ASYNC_TEST = "import pytest\n\n@pytest.mark.asyncio\nasync def test_client(client):\n    assert client == 1\n"
MODULE_LOOP_TEST = ASYNC_TEST.replace("@pytest.mark.asyncio", '@pytest.mark.asyncio(loop_scope="module")')
MODULE_LOOP_FIXTURE = (
    'import pytest_asyncio\n\n@pytest_asyncio.fixture(scope="module", loop_scope="module")\n'
    "async def client():\n    return 1\n"
)

# pytest-asyncio's releases where what the rule reports began: ``loop_scope`` (0.24; before it a
# fixture ran in the loop of its own scope, or in an ``event_loop`` override), and the end of the
# ``event_loop`` fixture (1.0; before it, overriding it was how a wider loop was had).
LOOP_SCOPE_SINCE: Version = (0, 24)
EVENT_LOOP_REMOVED_IN: Version = (1, 0)


def _check_version(value: Any, where: str) -> None:
    if value and parse_version(value) is None:
        raise ConfigError(f'{where}: expected a version such as "0.21.2", got {value!r}')


ASYNCIO_VERSION = Option(
    "",
    "the pytest-asyncio version the suite runs (default: the one in the suite's environment, else the newest)",
    check=_check_version,
)


class FixtureLoopScope(Rule):
    """## What it does
    Checks pytest-asyncio fixtures (the semantics of the pytest-asyncio the suite runs: 1.x unless
    the installed one or the option says otherwise):
    - a fixture whose loop scope (its `loop_scope`, else the `asyncio_default_fixture_loop_scope`
      ini option, else its own scope) is narrower than its scope (pytest-asyncio 0.24 and later);
    - in strict mode (the default, unless the ini or `addopts` says `--asyncio-mode=auto`), an
      `async def` fixture under plain `@pytest.fixture` that no anyio test sets up;
    - an `event_loop` fixture definition that no sync test requests (pytest-asyncio 1.0 and later).
    Nothing where `addopts` blocks the plugin (`-p no:asyncio`). A fixture's loop is judged under
    the configuration of each test that uses it (the nearest ini file above the test, as a run
    from that folder reads it), so a shared fixture used under a nested `pytest.ini` is judged
    by that file's default loop scope; one no test uses, by that of the modules that register it.

    ## Why is this bad?
    pytest-asyncio sets an async fixture up in the event loop runner of its loop scope; a
    module-scoped fixture in a function-scoped loop raises `ScopeMismatch` in every test that
    uses it. In strict mode pytest-asyncio ignores async fixtures under `@pytest.fixture`, and
    pytest-asyncio 1.x no longer uses an `event_loop` fixture at all: the loop it defines is
    silently ignored.

    ## Example
    ```python
    @pytest_asyncio.fixture(scope="module", loop_scope="function")
    async def client():
        ...
    ```

    ## Use instead
    ```python
    @pytest_asyncio.fixture(scope="module", loop_scope="module")
    async def client():
        ...

    @pytest.mark.asyncio(loop_scope="module")
    async def test_client(client):
        ...
    ```

    ## Fix safety
    An object made in a fixture (a queue, an event, a client) is bound to the loop it was made in,
    so the fix puts the fixture and the async tests that use it in one loop: the broadest of the
    scope the fixture is set up at (its own, or that of an indirect parametrization) and the loops
    its tests run in. `loop_scope` is set on the fixture; a test in another loop gets `loop_scope`
    on its asyncio mark (or a `@pytest.mark.asyncio(loop_scope=...)` of its own); an async fixture
    that ran in that test's old loop moves with it, and so do its other tests (the JSON output's
    `data` lists them: `moved_tests`, `other_fixtures`). Safe when every test whose loop changes, or that uses a
    fixture whose loop changes, fails today; unsafe otherwise (tests that shared no loop do
    then). A plain `@pytest.fixture` (in auto mode) takes no `loop_scope`: the fix makes it a
    `@pytest_asyncio.fixture` and adds `import pytest_asyncio` where the module lacks it. No fix
    where a loop scope is not a literal or a test's mark is a variable shared with other tests.
    The other two cases have no automatic fix: decorate with `@pytest_asyncio.fixture` (or set
    `asyncio_mode = auto`), and replace `event_loop` with `loop_scope` on the fixtures and tests
    that need a wider loop.

    ## Options
    - `[tool.fixlint.fixture-scope] pytest-asyncio-version`: the version the suite runs, for when
      fixlint cannot find the suite's environment (default: the one installed in the environment
      the `python` setting names or fixlint finds, read from its metadata; the newest semantics
      when none is installed).
    """

    name = "fixture-loop-scope"
    family = "fixture-scope"
    blocks = "setup-error"
    summary = "pytest-asyncio loop scope narrower than the fixture's scope, or an ignored async fixture"
    fix = Applicability.SAFE
    options_schema = {"pytest-asyncio-version": ASYNCIO_VERSION}
    examples = (
        Example(
            files={
                "conftest.py": (
                    'import pytest_asyncio\n\n@pytest_asyncio.fixture(scope="module", loop_scope="function")\n'
                    "async def client():\n    return 1\n"
                ),
                "test_client.py": ASYNC_TEST,
            },
            expected=("conftest.py:3 fixture-loop-scope",),
            fixed={"conftest.py": MODULE_LOOP_FIXTURE, "test_client.py": MODULE_LOOP_TEST},
        ),
        Example(
            files={
                "conftest.py": (
                    'import pytest_asyncio\n\n@pytest_asyncio.fixture(scope="module")\nasync def client():\n'
                    "    return 1\n"
                ),
                "test_client.py": ASYNC_TEST,
            },
            ini="[pytest]\nasyncio_default_fixture_loop_scope = function\n",
            expected=("conftest.py:3 fixture-loop-scope",),
            fixed={"conftest.py": MODULE_LOOP_FIXTURE, "test_client.py": MODULE_LOOP_TEST},
        ),
        Example(
            files={
                "conftest.py": (
                    "import pytest\n\n@pytest.fixture\nasync def client():\n    return 1\n\n@pytest.fixture\n"
                    "def event_loop():\n    yield None\n"
                ),
            },
            expected=("conftest.py:3 fixture-loop-scope", "conftest.py:7 fixture-loop-scope"),
        ),
        Example(
            files={
                "conftest.py": 'import pytest\n\n@pytest.fixture(scope="module")\nasync def client():\n    return 1\n',
            },
            ini="[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = module\n",
        ),
        Example(
            # A plain @pytest.fixture takes no loop_scope: the fix moves it to pytest_asyncio's.
            files={
                "conftest.py": 'import pytest\n\n@pytest.fixture(scope="module")\nasync def client():\n    return 1\n',
                "test_client.py": "async def test_client(client):\n    assert client == 1\n",
            },
            ini="[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n",
            expected=("conftest.py:3 fixture-loop-scope",),
            fixed={
                "conftest.py": (
                    "import pytest\nimport pytest_asyncio\n\n"
                    '@pytest_asyncio.fixture(scope="module", loop_scope="module")\nasync def client():\n    return 1\n'
                ),
                "test_client.py": "import pytest\n\n\n" + MODULE_LOOP_TEST.split("\n\n", 1)[1],
            },
        ),
    )

    def check_project(self, project: Project) -> Iterator[Finding]:
        version = self._asyncio_version(project)
        analysis = project_analysis(project)
        index: Optional[LoopIndex] = None
        in_conflict: set[int] = set()
        driven: Optional[set[str]] = None
        for file, fact in project.fixture_facts():
            config = file.config
            if is_disabled(config, ASYNCIO_PLUGIN):
                continue  # `-p no:asyncio`: pytest-asyncio runs nothing here
            fixturedef = project.fixture_def(file, fact)
            users = analysis.users.get(id(fact), [])
            if fact.name == "event_loop":
                # Before 1.0 the override is how a wider loop is had; a sync test or fixture that
                # requests it drives the loop itself.
                if driven is None:
                    driven = _driving_loops(project, analysis)
                # Its twins in other branches of the same holder (`if ...: def event_loop` /
                # `else: def event_loop`) are one fixture to the reader of the code.
                twins = [
                    other for other in file.facts.fixtures if other.name == "event_loop" and other.owner == fact.owner
                ]
                used = any(test.nodeid in driven for other in twins for test in analysis.users.get(id(other), []))
                if version >= EVENT_LOOP_REMOVED_IN and not used:
                    yield self._finding(
                        file,
                        fixturedef,
                        "event-loop-fixture",
                        "pytest-asyncio 1.x ignores an `event_loop` fixture; "
                        "set `loop_scope` on the fixtures and tests that need a wider loop",
                    )
            elif fact.is_async and not handled_by_asyncio(fact.flavour, fact.is_async, config.asyncio_mode):
                # anyio's plugin runs the async fixtures of the tests it runs.
                if "anyio_backend" in fact.argnames or any(run_by_anyio(test) for test in users):
                    continue
                yield self._finding(
                    file,
                    fixturedef,
                    "plain-async-fixture",
                    f"async fixture `{fact.func_name}` under `@pytest.fixture` is ignored by pytest-asyncio "
                    "in strict mode; use `@pytest_asyncio.fixture` or `asyncio_mode = auto`",
                )
            elif handled_by_asyncio(fact.flavour, fact.is_async, config.asyncio_mode) and version >= LOOP_SCOPE_SINCE:
                if index is None:
                    index = LoopIndex.of(project, analysis)
                    # Fixtures whose own scope pytest refuses: the scope fix decides the loop they need.
                    in_conflict = {
                        id(group.request.requester.fact)
                        for group in analysis.mismatches({"argument", "getfixturevalue"})
                    }
                yield from self._loop_scope(project, analysis, index, file, fixturedef, id(fact) in in_conflict)

    def _asyncio_version(self, project: Project) -> Version:
        """The version the options name, else the installed one, else the newest (1.x) semantics."""
        configured = self.options["pytest-asyncio-version"]
        version = parse_version(configured) if configured else installed_version(project.environment, "pytest-asyncio")
        return version if version is not None else (1,)

    def _loop_scope(
        self,
        project: Project,
        analysis: Analysis,
        index: LoopIndex,
        file: SourceFile,
        fixturedef: FixtureDef,
        in_conflict: bool,
    ) -> Iterator[Finding]:
        """The fixture's own scope, and any broader scope a parametrization sets it up at, must fit
        in its loop, under the configuration of each test that sets it up."""
        fact = fixturedef.fact
        assert fact is not None
        scope = declared_scope(fixturedef)
        groups = [group for group in analysis.mismatches({"loop"}) if group.request.requester.fact is fact]
        failing = {test.nodeid: test for group in groups for test in group.tests}
        # Mismatches: the scopes of both sides are known.
        scopes = [known for group in groups if (known := group.request.requester_scope) is not None]
        needed = max(scopes + ([scope] if scope else []), default=None)
        if needed is None:
            return
        narrower = [
            (config, loop)
            for config in _governing_configs(project, analysis, file, fixturedef)
            if (loop := fixture_loop_scope(fixturedef, config.asyncio_default_fixture_loop_scope, declared_scope))
            is not None
            and loop < needed
        ]
        if not narrower:
            return
        # Worded after its own file's configuration where that one is among them.
        config, loop = next((pair for pair in narrower if pair[0] == file.config), narrower[0])
        default = config.asyncio_default_fixture_loop_scope
        if fact.loop_scope:
            source = "its loop_scope"
        elif default and default != MATCH_FIXTURE_SCOPE:
            source = "asyncio_default_fixture_loop_scope"
        else:
            source = "its own scope"
        tests = sorted(failing)
        if scope is not None and loop < scope:
            what = f"`{fact.func_name}` ({scope.value} scope) runs in a {loop.value}-scoped event loop ({source})"
        else:
            what = (
                f"`{fact.func_name}` runs in a {loop.value}-scoped event loop ({source}), "
                f"but a parametrization sets it up at {needed.value} scope"
            )
        where = tests_phrase(tests) if tests else "every test that sets it up at its own scope"
        if in_conflict:
            # A loop of its scope would leave its tests failing, and run them in a loop its
            # narrowed scope (fixture-scope-mismatch's fix) no longer needs.
            plan = LoopPlan(needed, None, f"`{fact.func_name}` requests narrower fixtures; fix its scope first")
        else:
            plan = plan_loop(index, id(fact), needed, analysis.failing_tests)
        message = f"{what}: ScopeMismatch in {where}{_plan_phrase(plan)}"
        yield self._finding(
            file,
            fixturedef,
            "loop-narrower-than-scope",
            message,
            plan.fix,
            {
                "fixture": fixturedef.name,
                "scope": needed.value,
                "loop_scope": loop.value,
                "tests": tests,
                "fix_loop_scope": plan.loop.value,
                "moved_tests": list(plan.tests),
                "other_fixtures": list(plan.fixtures),
            },
            concerns=tuple(sorted({str(test.file.path) for test in failing.values()})),
        )

    def _finding(self, file, fixturedef, kind, message, fix=None, data=None, concerns=()) -> Finding:
        return fixture_finding(
            self.name,
            str(file.path),
            fixturedef.fact,
            message,
            fix=fix,
            concerns=concerns,
            data={
                "kind": kind,
                "fixture": fixturedef.name,
                "path": str(file.path),
                "line": fixturedef.fact.line,
                **(data or {}),
            },
        )


def _governing_configs(
    project: Project, analysis: Analysis, file: SourceFile, fixturedef: FixtureDef
) -> list[PytestConfig]:
    """The configurations a fixture is set up under, each test's from the nearest ini file above
    it (a tree can hold several): those of the tests that use it; with none, those of the test
    modules and conftests that register it (one that imports it from a shared module); else its
    own file's."""
    configs = {test.config: None for test in analysis.users.get(id(fixturedef.fact), [])}
    if not configs:
        for other in project.files.values():
            if (other.is_conftest or is_test_module(other)) and any(
                registered.fact is fixturedef.fact
                for registered in project.module_holder(other.path).defs.get(fixturedef.name, ())
            ):
                configs[other.config] = None
    return list(configs) or [file.config]


def _driving_loops(project: Project, analysis: Analysis) -> set[str]:
    """The tests where a sync test or fixture requests ``event_loop`` by name: it is used there."""
    driven = {
        test.nodeid
        for file, fact in project.fixture_facts()
        if not fact.is_async and "event_loop" in (*fact.argnames, *fact.getfixturevalue)
        for test in analysis.users.get(id(fact), [])
    }
    driven.update(
        test.nodeid
        for tests in analysis.users.values()
        for test in tests
        if not test.function.is_async and "event_loop" in (*test.function.argnames, *test.function.getfixturevalue)
    )
    return driven


def _plan_phrase(plan: LoopPlan) -> str:
    """Why there is no fix. What a fix moves is in the finding's data: the message must read the
    same before and after a fix that did not clear it, or the fix loop would take it as cleared."""
    return f"; no fix: {plan.reason}" if plan.fix is None else ""
