from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from fixlint.files.display import message_path
from fixlint.findings import Finding
from fixlint.pytest_model.analysis import FailedGroup, project_analysis
from fixlint.pytest_model.closure import resolution
from fixlint.pytest_model.project import Project, TestItem
from fixlint.rules.base import Example, Rule, fixture_finding, tests_phrase
from fixlint.rules.fixture_graph.visibility import imports, sees_every_definition


class FixtureCycle(Rule):
    """## What it does
    Finds fixtures that request each other in a cycle from some test's point of view: a fixture
    requests a name (as an argument or through `request.getfixturevalue`) while every definition
    of that name the test sees is already being set up on the way to it.

    ## Why is this bad?
    pytest cannot set the test up: it errors with "recursive dependency involving fixture 'a'
    detected" at set-up, for every test that reaches the cycle. A fixture that overrides one
    of the same name may request that name (it gets the overridden one); only when no
    overridden definition is left is it a cycle. Tests of a module pytest cannot import (a
    collection error comes first) are not counted.

    ## Example
    ```python
    @pytest.fixture
    def user(account):
        return account.owner

    @pytest.fixture
    def account(user):
        return Account(owner=user)
    ```

    ## Use instead
    Break the cycle: one of the fixtures builds what it needs itself, or a third fixture
    provides what both need.
    ```python
    @pytest.fixture
    def user():
        return User()

    @pytest.fixture
    def account(user):
        return Account(owner=user)
    ```

    ## Fix safety
    No fix: which side of the cycle should give way is the author's choice.
    """

    name = "fixture-cycle"
    blocks = "setup-error"
    family = "fixture-graph"
    summary = "Fixtures that request each other in a cycle (pytest's recursive dependency error at set-up)"
    examples = (
        Example(
            files={
                "conftest.py": (
                    "import pytest\n\n@pytest.fixture\ndef user(account):\n    return account\n\n"
                    "@pytest.fixture\ndef account(user):\n    return user\n"
                ),
                "test_account.py": "def test_account(account):\n    assert account\n",
            },
            expected=("conftest.py:3 fixture-cycle",),
        ),
        Example(
            # A module's fixture requests the conftest fixture it overrides: no cycle.
            files={
                "conftest.py": "import pytest\n\n@pytest.fixture\ndef user():\n    return 'conftest'\n",
                "test_user.py": (
                    "import pytest\n\n@pytest.fixture\ndef user(user):\n    return user + '!'\n\n"
                    "def test_user(user):\n    assert user == 'conftest!'\n"
                ),
            },
        ),
    )

    def check_project(self, project: Project) -> Iterator[Finding]:
        for group in project_analysis(project).failed.values():
            if not group.lookup.defined or group.requester is None or group.requester.fact is None:
                continue
            # A definition fixlint cannot see (behind an import it cannot follow) may end the chain;
            # the tests of a module pytest cannot import are never set up.
            tests = [
                test
                for test in group.tests
                if sees_every_definition(project, test, group.lookup.name) and imports(project, test.file)
            ]
            if tests:
                yield self._finding(project, group, tests)

    def _finding(self, project: Project, group: FailedGroup, tests_hit: list[TestItem]) -> Finding:
        requester, name = group.requester, group.lookup.name
        assert requester is not None and requester.fact is not None
        tests = sorted({test.nodeid for test in tests_hit})
        test = min(tests_hit, key=lambda item: item.nodeid)
        defs = resolution(project, test, frozenset()).defs(name)
        path = cycle_path(project, test, name, requester.name)
        how = " through request.getfixturevalue()" if group.via == "getfixturevalue" else ""
        if len(defs) > 1:
            state = f"all {len(defs)} of its definitions the test sees are already being set up"
        else:
            state = "it is already being set up"
        where = ", ".join(
            f"{message_path(fixturedef.path)}:{fixturedef.fact.line}"
            for fixturedef in defs
            if fixturedef.fact is not None
        )
        message = (
            f"`{requester.label}` requests `{name}`{how} while {state} ({' -> '.join(path)}; `{name}` defined at "
            f"{where}): pytest errors with \"recursive dependency involving fixture '{name}' detected\" "
            f"in the set-up of {tests_phrase(tests)}"
        )
        return fixture_finding(
            self.name,
            requester.path,
            requester.fact,
            message,
            concerns=tuple(sorted({str(item.file.path) for item in tests_hit})),
            data={"requester": requester.name, "requested": name, "via": group.via, "cycle": path, "tests": tests},
        )


def cycle_path(project: Project, test: TestItem, start: str, end: str) -> list[str]:
    """The shortest chain of requests, by name, from ``start`` to ``end`` and back to ``start``,
    as the test sees the fixtures (any of a name's definitions may make a request)."""
    defs = resolution(project, test, frozenset()).defs
    previous: dict[str, Optional[str]] = {start: None}
    pending = [start]
    while pending and end not in previous:
        following = []
        for name in pending:
            for fixturedef in defs(name):
                for requested in fixturedef.requests:
                    if requested not in previous:
                        previous[requested] = name
                        following.append(requested)
        pending = following
    path = [start]
    if start != end and end in previous:
        path = [end]
        while (before := previous[path[-1]]) is not None:
            path.append(before)
        path.reverse()
    return [*path, start]
