from __future__ import annotations

from collections.abc import Iterator

from fixlint.findings import Applicability, Finding, Fix
from fixlint.modules import SourceFile
from fixlint.pytest_model.analysis import Analysis, project_analysis
from fixlint.pytest_model.closure import MATCH_FIXTURE_SCOPE, declared_scope, fixture_loop_scope, handled_by_asyncio
from fixlint.pytest_model.fixturedefs import FixtureDef
from fixlint.pytest_model.project import Project
from fixlint.rules.base import Example, Rule, fixture_finding, tests_phrase
from fixlint.rules.fixture_scope.edits import keyword_edit, to_pytest_asyncio_fixture

# The examples' test, and their fixture once fixed: a module fixture in a module loop.
ASYNC_TEST = "import pytest\n\n@pytest.mark.asyncio\nasync def test_client(client):\n    assert client == 1\n"
MODULE_LOOP_FIXTURE = (
    'import pytest_asyncio\n\n@pytest_asyncio.fixture(scope="module", loop_scope="module")\n'
    "async def client():\n    return 1\n"
)


class FixtureLoopScope(Rule):
    """## What it does
    Checks pytest-asyncio fixtures (1.x semantics):
    - a fixture whose loop scope (its `loop_scope`, else the `asyncio_default_fixture_loop_scope`
      ini option, else its own scope) is narrower than its scope;
    - in strict mode (the default), an `async def` fixture under plain `@pytest.fixture`;
    - an `event_loop` fixture definition.

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
    ```

    ## Fix safety
    `loop_scope` is set to the broadest scope the fixture is set up at: its own, or that of an
    indirect parametrization (`@pytest.mark.parametrize(..., indirect=True, scope="module")`).
    Safe when every test that uses the fixture fails today; unsafe when some test runs it fine
    in its narrower loop, as the fix moves it to another loop there. A plain `@pytest.fixture`
    (in auto mode) takes no `loop_scope`: the fix makes it a `@pytest_asyncio.fixture` and adds
    `import pytest_asyncio` where the module lacks it. The other two cases have
    no automatic fix: decorate with `@pytest_asyncio.fixture` (or set `asyncio_mode = auto`),
    and replace `event_loop` with `loop_scope` on the fixtures and tests that need a wider loop.
    """

    name = "fixture-loop-scope"
    family = "fixture-scope"
    blocks = "setup-error"
    summary = "pytest-asyncio loop scope narrower than the fixture's scope, or an ignored async fixture"
    fix = Applicability.SAFE
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
            fixed={"conftest.py": MODULE_LOOP_FIXTURE},
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
            fixed={"conftest.py": MODULE_LOOP_FIXTURE},
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
            },
        ),
    )

    def check_project(self, project: Project) -> Iterator[Finding]:
        analysis = project_analysis(project)
        for file, fact in project.fixture_facts():
            fixturedef = FixtureDef(fact.name, str(file.path), fact)
            config = file.config
            if fact.name == "event_loop":
                yield self._finding(
                    file,
                    fixturedef,
                    "event-loop-fixture",
                    "pytest-asyncio 1.x ignores an `event_loop` fixture; "
                    "set `loop_scope` on the fixtures and tests that need a wider loop",
                )
            elif fact.is_async and not handled_by_asyncio(fact.flavour, fact.is_async, config.asyncio_mode):
                yield self._finding(
                    file,
                    fixturedef,
                    "plain-async-fixture",
                    f"async fixture `{fact.func_name}` under `@pytest.fixture` is ignored by pytest-asyncio "
                    "in strict mode; use `@pytest_asyncio.fixture` or `asyncio_mode = auto`",
                )
            elif handled_by_asyncio(fact.flavour, fact.is_async, config.asyncio_mode):
                yield from self._loop_scope(analysis, file, fixturedef)

    def _loop_scope(self, analysis: Analysis, file: SourceFile, fixturedef: FixtureDef) -> Iterator[Finding]:
        """The fixture's own scope, and any broader scope a parametrization sets it up at, must fit
        in its loop."""
        fact = fixturedef.fact
        assert fact is not None
        scope = declared_scope(fixturedef)
        loop = fixture_loop_scope(fixturedef, file.config.asyncio_default_fixture_loop_scope, declared_scope)
        if loop is None:
            return
        groups = [group for group in analysis.mismatches({"loop"}) if group.request.requester.fact is fact]
        failing = {test.nodeid: test for group in groups for test in group.tests}
        # Mismatches: the scopes of both sides are known.
        scopes = [known for group in groups if (known := group.request.requester_scope) is not None]
        needed = max(scopes + ([scope] if scope else []), default=None)
        if needed is None or not loop < needed:
            return
        default = file.config.asyncio_default_fixture_loop_scope
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
        message = f"{what}: ScopeMismatch in {where}"
        edits = [keyword_edit(fixturedef.path, fact.decorator, fact.loop_scope, "loop_scope", needed.value)]
        if fact.flavour == "pytest":
            edits += to_pytest_asyncio_fixture(str(file.path), file.facts, fact)
        # Widening the loop changes which loop the fixture runs in for the tests that pass today.
        users = analysis.users.get(id(fact), [])
        safe = all(test.nodeid in failing for test in users)
        yield self._finding(
            file,
            fixturedef,
            "loop-narrower-than-scope",
            message,
            Fix(Applicability.SAFE if safe else Applicability.UNSAFE, tuple(edits)),
            {"fixture": fixturedef.name, "scope": needed.value, "loop_scope": loop.value, "tests": tests},
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
