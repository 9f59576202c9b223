from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from fixlint.files.display import message_path
from fixlint.findings import Applicability, Finding, Fix
from fixlint.pytest_model.analysis import RequestGroup, project_analysis
from fixlint.pytest_model.closure import DirectParam, declared_scope
from fixlint.pytest_model.fixturedefs import FixtureDef
from fixlint.pytest_model.project import Project
from fixlint.pytest_model.scope import Scope
from fixlint.rules.base import Example, Option, Rule, fixture_finding, tests_phrase
from fixlint.rules.fixture_scope.edits import PARAMETRIZED_SCOPE, ScopePlan, Widening, Widenings, plan_narrowing

FIX_TO = Option(
    "function",
    "How far a fix narrows: `function`, the report's standard, or `narrowest`, only as far as needed.",
    ("function", "narrowest"),
)


class FixtureScopeMismatch(Rule):
    """## What it does
    Finds fixtures whose scope is broader than the scope of a fixture they request, resolved
    from the point of view of each test that uses them: class, module, conftest files up to the
    rootdir, `pytest_plugins` modules, pytest's and plugins' own fixtures. An override that
    requests its own name gets the next definition out, as in pytest. A scope may be a literal
    or a str constant of the tree: a module constant (`scope=SESSION_SCOPE`), one imported from
    another module (`from tests.constants import SESSION_SCOPE`, `constants.SESSION_SCOPE`), a
    class attribute or a str Enum member (`Scopes.SESSION`, `Scopes.SESSION.value`), or a
    concatenation of these; each is read as pytest would see it when the decorator runs. Where a
    scope is computed when pytest runs (a callable, a name bound in a branch), fixlint does not
    guess and reports nothing: `fixture-scope-dynamic` lists those requests.

    ## Why is this bad?
    pytest raises `ScopeMismatch` when such a fixture is set up, but only in a test that uses
    both, so the error shows up late, in some modules and not others.

    ## Example
    ```python
    @pytest.fixture(scope="session")
    def app(db):  # db is function-scoped
        ...
    ```

    ## Use instead
    ```python
    @pytest.fixture(scope="function")
    def app(db):
        ...
    ```

    ## Fix safety
    Safe when every test that sets the fixture up fails today. The fix narrows the requester (to
    `function` by default, or only as far as needed with `fix-to = "narrowest"`) and every
    fixture the change puts in conflict; it is unsafe when it narrows a fixture that some test
    runs fine today (one that overrides the requested name with a broader fixture, say). A
    scope read from a constant is replaced by a literal (`scope=SESSION_SCOPE` becomes
    `scope="function"`): the constant stays, as other fixtures may use it. No fix where a
    parametrization (`scope=` on an indirect `parametrize`, or the `params` of an overridden
    fixture) sets the requester's scope.

    The smallest fix first: where narrowing changes more than one fixture (the cascade), or each
    of several fixtures that request the same one, or cannot be done, and the requested fixture
    can be widened instead (it is not parametrized, not run by pytest-asyncio, and every fixture
    it requests, transitively, is at least as broad as the new scope), the fix widens it to the
    broadest scope that requests it: one edit, unsafe (the fixture is shared more widely). The
    message says which fix is offered, how many fixtures and files the narrowing changes, and
    why the requested fixture cannot be widened where it cannot.

    ## Options
    - `[tool.fixlint.fixture-scope] fix-to`: `"function"` (default) or `"narrowest"`.
    """

    name = "fixture-scope-mismatch"
    family = "fixture-scope"
    blocks = "setup-error"
    summary = "A fixture requests a fixture of narrower scope (pytest's ScopeMismatch)"
    fix = Applicability.SAFE
    options_schema = {"fix-to": FIX_TO}
    examples = (
        Example(
            files={
                "conftest.py": (
                    'import pytest\n\n@pytest.fixture(scope="session")\ndef app(db):\n    return db\n\n'
                    "@pytest.fixture\ndef db():\n    return 1\n"
                ),
                "test_app.py": "def test_app(app):\n    assert app == 1\n",
            },
            expected=("conftest.py:3 fixture-scope-mismatch",),
            fixed={
                "conftest.py": (
                    'import pytest\n\n@pytest.fixture(scope="function")\ndef app(db):\n    return db\n\n'
                    "@pytest.fixture\ndef db():\n    return 1\n"
                ),
            },
        ),
        Example(
            files={
                "conftest.py": (
                    'import pytest\n\n@pytest.fixture(scope="session")\ndef app(db):\n    return db\n\n'
                    '@pytest.fixture(scope="session")\ndef db():\n    return 1\n'
                ),
                "test_app.py": "def test_app(app):\n    assert app == 1\n",
            },
        ),
        Example(
            # The conftest fixture is fine for test_a but not for test_b, which overrides db.
            files={
                "conftest.py": (
                    "import pytest\n\n@pytest.fixture(scope='module')\ndef app(db):\n    return db\n\n"
                    "@pytest.fixture(scope='module')\ndef db():\n    return 1\n"
                ),
                "test_a.py": "def test_a(app):\n    assert app\n",
                "test_b.py": (
                    "import pytest\n\n@pytest.fixture\ndef db():\n    return 2\n\ndef test_b(app):\n    assert app\n"
                ),
            },
            expected=("conftest.py:3 fixture-scope-mismatch",),
            fixed={
                "conftest.py": (
                    "import pytest\n\n@pytest.fixture(scope='function')\ndef app(db):\n    return db\n\n"
                    "@pytest.fixture(scope='module')\ndef db():\n    return 1\n"
                ),
            },
            applicability=Applicability.UNSAFE,  # test_a runs `app` fine today
        ),
        Example(
            # A scope read from a constant: the fix writes a literal, the constant stays.
            files={
                "constants.py": 'SESSION_SCOPE = "session"\n',
                "conftest.py": (
                    "import pytest\nfrom constants import SESSION_SCOPE\n\n"
                    "@pytest.fixture(scope=SESSION_SCOPE)\ndef app(db):\n    return db\n\n"
                    "@pytest.fixture\ndef db():\n    return 1\n"
                ),
                "test_app.py": "def test_app(app):\n    assert app == 1\n",
            },
            expected=("conftest.py:4 fixture-scope-mismatch",),
            fixed={
                "conftest.py": (
                    "import pytest\nfrom constants import SESSION_SCOPE\n\n"
                    '@pytest.fixture(scope="function")\ndef app(db):\n    return db\n\n'
                    "@pytest.fixture\ndef db():\n    return 1\n"
                ),
            },
        ),
    )

    def check_project(self, project: Project) -> Iterator[Finding]:
        analysis = project_analysis(project)
        # Mismatches at the decorator's scope are fixed there; those at a scope a parametrization
        # sets are not, and must not hold back the fix of the others.
        by_requester: dict[tuple[int, bool], list[RequestGroup]] = {}
        for group in analysis.mismatches({"argument", "getfixturevalue"}):
            request = group.request
            parametrized = request.requester_scope != declared_scope(request.requester)
            by_requester.setdefault((id(request.requester), parametrized), []).append(group)
        widenings = Widenings(analysis)
        for (_, parametrized), groups in by_requester.items():
            requester = groups[0].request.requester
            plan = (
                ScopePlan(None, PARAMETRIZED_SCOPE)
                if parametrized
                else self._plan(project, analysis, requester, groups)
            )
            for group in groups:
                requested = group.request.requested
                widening = widenings.widening(requested) if isinstance(requested, FixtureDef) else None
                yield self._finding(requester, group, plan, widening)

    def _plan(self, project: Project, analysis, requester: FixtureDef, groups: list[RequestGroup]) -> ScopePlan:
        if self.options["fix-to"] == "function":
            target = Scope.FUNCTION
        else:
            # Mismatches: the scopes of both sides are known.
            target = min(scope for group in groups if (scope := group.request.requested_scope) is not None)
        return plan_narrowing(project, analysis, {requester: target}, self.options["fix-to"], Applicability.SAFE)

    def _finding(
        self, requester: FixtureDef, group: RequestGroup, plan: ScopePlan, widening: Optional[Widening]
    ) -> Finding:
        request = group.request
        fact = requester.fact
        assert fact is not None  # pytest's own fixtures never request narrower ones
        requester_scope, requested_scope = request.requester_scope, request.requested_scope
        assert requester_scope is not None and requested_scope is not None  # a mismatch: both are known
        requested = request.requested
        tests = sorted({test.nodeid for test in group.tests})
        requested_path: Optional[str] = None
        requested_line: Optional[int] = None
        if isinstance(requested, DirectParam):
            where = "parametrized directly by the test"
        elif requested.fact is None:
            where = (
                f"provided by the plugin `{requested.plugin}`" if requested.plugin else "provided by pytest or a plugin"
            )
        else:
            requested_path, requested_line = requested.path, requested.fact.line
            where = f"defined at {message_path(requested.path)}:{requested_line}"
        how = " through request.getfixturevalue()" if request.via == "getfixturevalue" else ""
        message = (
            f"`{requester.label}` ({requester_scope.value} scope) requests `{requested.name}`{how} "
            f"({requested_scope.value} scope, {where}): ScopeMismatch in {tests_phrase(tests)}"
        )
        fix, changes, explained = _smallest_fix(requester, plan, widening)
        message += explained
        return fixture_finding(
            self.name,
            requester.path,
            fact,
            message,
            fix=fix,
            concerns=tuple(sorted({str(test.file.path) for test in group.tests})),
            data={
                "requester": requester.name,
                "requester_scope": requester_scope.value,
                "requester_path": requester.path,
                "requester_line": fact.line,
                "requested": requested.name,
                "requested_scope": requested_scope.value,
                "requested_path": requested_path,
                "requested_line": requested_line,
                "via": request.via,
                "tests": tests,
                "fix_changes": list(changes),
                "narrowing_changes": list(plan.changed),
            },
        )


def _smallest_fix(
    requester: FixtureDef, plan: ScopePlan, widening: Optional[Widening]
) -> tuple[Optional[Fix], tuple[str, ...], str]:
    """The fix a finding offers, what it changes, and what the message adds about it. Widening the
    requested fixture is one edit that clears every mismatch on it: it is the fix where narrowing
    changes more (a cascade of several fixtures) or cannot be done; where narrowing is one edit
    (which may be safe), it stays the fix and the message names the widening."""
    files = len({edit.path for edit in plan.fix.edits}) if plan.fix is not None else 0
    narrowing = f"{_count(len(plan.changed), 'fixture')} in {_count(files, 'file')}"
    if widening is not None and widening.fix is not None:
        widen = f"; fix: widen `{widening.fixturedef.label}` to {widening.scope.value} scope"
        shared = f" for the {widening.requesters} fixtures that request it" if widening.requesters > 1 else ""
        if plan.fix is None:
            return widening.fix, (widening.label,), f"{widen} (narrowing `{requester.label}` cannot: {plan.reason})"
        if len(plan.changed) > 1:
            instead = f"narrowing `{requester.label}` instead changes {narrowing}"
            return widening.fix, (widening.label,), f"{widen} (one edit{shared}; {instead})"
        if widening.requesters > 1:  # one edit here too: narrowing stays the fix, and may be safe
            alternative = f"; or widen `{widening.fixturedef.label}` to {widening.scope.value} scope (one edit{shared})"
            return plan.fix, plan.changed, alternative
    why_not = (
        f"; `{widening.fixturedef.label}` cannot be widened: {widening.reason}" if widening and widening.reason else ""
    )
    if plan.fix is None:
        return None, (), f"; no fix: {plan.reason}{why_not}" if plan.reason else ""
    if len(plan.changed) == 1 and (widening is None or widening.requesters == 1):
        return plan.fix, plan.changed, ""
    return plan.fix, plan.changed, f"; the fix narrows {narrowing}{why_not}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
