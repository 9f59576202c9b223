from __future__ import annotations

from typing import Iterator

from fixlint.codemods.fixture_scope import keyword_edit
from fixlint.findings import Applicability, Finding, Fix
from fixlint.project import Project, SourceFile
from fixlint.pytest_model.analysis import fixture_users
from fixlint.pytest_model.closure import declared_scope, fixture_loop_scope, handled_by_asyncio
from fixlint.pytest_model.fixturedefs import FixtureDef
from fixlint.rules.base import Example, Rule


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
    Safe for a loop scope narrower than the scope: `loop_scope` is set to the fixture's scope,
    which is the only way the fixture runs at all. The other two cases have no automatic fix:
    decorate with `@pytest_asyncio.fixture` (or set `asyncio_mode = auto`), and replace
    `event_loop` with `loop_scope` on the fixtures and tests that need a wider loop.
    """

    name = "fixture-loop-scope"
    family = "fixture-scope"
    summary = "pytest-asyncio loop scope narrower than the fixture's scope, or an ignored async fixture"
    fix = Applicability.SAFE
    examples = (
        Example(
            files={
                "conftest.py": "import pytest_asyncio\n\n@pytest_asyncio.fixture(scope=\"module\", loop_scope=\"function\")\nasync def client():\n    return 1\n",
                "test_client.py": "import pytest\n\n@pytest.mark.asyncio\nasync def test_client(client):\n    assert client == 1\n",
            },
            expected=("conftest.py:3 fixture-loop-scope",),
            fixed={
                "conftest.py": "import pytest_asyncio\n\n@pytest_asyncio.fixture(scope=\"module\", loop_scope=\"module\")\nasync def client():\n    return 1\n",
            },
        ),
        Example(
            files={
                "conftest.py": "import pytest_asyncio\n\n@pytest_asyncio.fixture(scope=\"module\")\nasync def client():\n    return 1\n",
                "test_client.py": "import pytest\n\n@pytest.mark.asyncio\nasync def test_client(client):\n    assert client == 1\n",
            },
            ini="[pytest]\nasyncio_default_fixture_loop_scope = function\n",
            expected=("conftest.py:3 fixture-loop-scope",),
            fixed={
                "conftest.py": "import pytest_asyncio\n\n@pytest_asyncio.fixture(scope=\"module\", loop_scope=\"module\")\nasync def client():\n    return 1\n",
            },
        ),
        Example(
            files={
                "conftest.py": "import pytest\n\n@pytest.fixture\nasync def client():\n    return 1\n\n@pytest.fixture\ndef event_loop():\n    yield None\n",
            },
            expected=("conftest.py:3 fixture-loop-scope", "conftest.py:7 fixture-loop-scope"),
        ),
        Example(
            files={
                "conftest.py": "import pytest\n\n@pytest.fixture(scope=\"module\")\nasync def client():\n    return 1\n",
            },
            ini="[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = module\n",
        ),
    )

    def check_project(self, project: Project) -> Iterator[Finding]:
        for file, fact in project.fixture_facts():
            fixturedef = FixtureDef(fact.name, str(file.path), fact)
            config = file.config
            if fact.name == "event_loop":
                yield self._finding(
                    file, fixturedef, "event-loop-fixture",
                    "pytest-asyncio 1.x ignores an `event_loop` fixture; set `loop_scope` on the fixtures and tests that need a wider loop",
                )
            elif fact.is_async and not handled_by_asyncio(fact.flavour, fact.is_async, config.asyncio_mode):
                yield self._finding(
                    file, fixturedef, "plain-async-fixture",
                    f"async fixture `{fact.func_name}` under `@pytest.fixture` is ignored by pytest-asyncio in strict mode; "
                    "use `@pytest_asyncio.fixture` or `asyncio_mode = auto`",
                )
            elif handled_by_asyncio(fact.flavour, fact.is_async, config.asyncio_mode):
                yield from self._loop_scope(project, file, fixturedef)

    def _loop_scope(self, project: Project, file: SourceFile, fixturedef: FixtureDef) -> Iterator[Finding]:
        scope = declared_scope(fixturedef)
        loop = fixture_loop_scope(fixturedef, file.config.asyncio_default_fixture_loop_scope, declared_scope)
        if scope is None or loop is None or not loop < scope:
            return
        fact = fixturedef.fact
        assert fact is not None
        source = "its loop_scope" if fact.loop_scope else "asyncio_default_fixture_loop_scope"
        edit = keyword_edit(fixturedef.path, fact.decorator, fact.loop_scope, "loop_scope", scope.value)
        tests = sorted({test.nodeid for test in fixture_users(project, fixturedef)})
        yield self._finding(
            file, fixturedef, "loop-narrower-than-scope",
            f"`{fact.func_name}` ({scope.value} scope) runs in a {loop.value}-scoped event loop ({source}): "
            "ScopeMismatch in every test that uses it",
            Fix(Applicability.SAFE, (edit,)),
            {"fixture": fixturedef.name, "scope": scope.value, "loop_scope": loop.value, "tests": tests},
        )

    def _finding(self, file, fixturedef, kind, message, fix=None, data=None) -> Finding:
        fact = fixturedef.fact
        span = fact.decorator.span
        return Finding(
            rule=self.name,
            path=str(file.path),
            line=fact.line,
            column=fact.column,
            end_line=span.end_line,
            end_column=span.end_column,
            message=message,
            fix=fix,
            data={"kind": kind, "fixture": fixturedef.name, "path": str(file.path), "line": fact.line, **(data or {})},
        )
