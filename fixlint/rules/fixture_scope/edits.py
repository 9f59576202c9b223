"""Fixes of the fixture-scope family: narrow scopes (cascading to every fixture the change puts
in conflict) and set ``loop_scope``, as edits of the decorator and, where a plain
``@pytest.fixture`` must become ``@pytest_asyncio.fixture``, of the imports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from fixlint.facts.model import DecoratorCall, FileFacts, FixtureFact, KeywordValue
from fixlint.findings import Applicability, Edit, Fix
from fixlint.pytest_model.analysis import Analysis, analyse
from fixlint.pytest_model.closure import declared_scope
from fixlint.pytest_model.fixturedefs import FixtureDef
from fixlint.pytest_model.project import Project
from fixlint.pytest_model.scope import Scope
from fixlint.rules.import_edits import import_edit

MAX_CASCADE_ROUNDS = 20
PARAMETRIZED_SCOPE = (
    "the scope pytest uses here comes from a parametrization (`@pytest.mark.parametrize(..., scope=...)`, "
    "or the `params` of the fixture it overrides), so narrowing the decorator would not remove the mismatch"
)


@dataclass(frozen=True)
class ScopePlan:
    fix: Optional[Fix]
    reason: str = ""  # why there is no fix
    changed: tuple[str, ...] = ()  # "name (old -> new)" for every fixture the fix narrows


def plan_narrowing(
    project: Project, analysis: Analysis, targets: dict[FixtureDef, Scope], fix_to: str, base: Applicability
) -> ScopePlan:
    """Narrow ``targets``, then every fixture that the change puts in conflict, until none is left.

    The fix is ``base`` unless it must also narrow a fixture that some test runs fine today.
    """
    # Keyed by the fixture function (its fact): an imported fixture is the same source everywhere.
    overrides: dict[int, Scope] = {}
    changed: dict[int, FixtureDef] = {}
    pending = dict(targets)
    before = {_edge_key(group.request) for group in analysis.mismatches()}
    for _ in range(MAX_CASCADE_ROUNDS):
        for fixturedef, scope in pending.items():
            reason = _why_not_editable(fixturedef)
            if reason:
                return ScopePlan(None, reason)
            overrides[id(fixturedef.fact)] = scope
            changed[id(fixturedef.fact)] = fixturedef
        # Scopes do not change closures: only the tests that use a changed fixture can change.
        affected = {test.nodeid: test for key in changed for test in analysis.users.get(key, [])}
        after = analyse(project, lambda d: overrides.get(id(d.fact), declared_scope(d)), affected.values())
        pending = {}
        for group in after.mismatches():
            request = group.request
            if _edge_key(request) in before or request.requested_scope is None:
                continue
            target = Scope.FUNCTION if fix_to == "function" else request.requested_scope
            current = overrides.get(id(request.requester.fact), declared_scope(request.requester))
            if current is None or target < current:
                pending[request.requester] = target
        if not pending:
            break
    else:
        return ScopePlan(None, f"the change does not settle within {MAX_CASCADE_ROUNDS} rounds")
    # A parametrization that sets a changed fixture up at a broader scope than its decorator's
    # keeps a new mismatch there: narrowing the decorator cannot remove it.
    for group in after.mismatches({"argument", "getfixturevalue"}):
        request = group.request
        key = id(request.requester.fact)
        if key in changed and request.requester_scope != overrides[key] and _edge_key(request) not in before:
            return ScopePlan(None, PARAMETRIZED_SCOPE)
    # A test that runs a changed fixture fine today would run it at another scope.
    applicability = base
    if any(_runs_fine_somewhere(analysis, fixturedef) for fixturedef in changed.values()):
        applicability = Applicability.UNSAFE
    edits = tuple(sorted(scope_edit(fixturedef, overrides[key]) for key, fixturedef in changed.items()))
    labels = tuple(f"{d.label} ({_known_scope(d).value} -> {overrides[key].value})" for key, d in changed.items())
    return ScopePlan(Fix(applicability, edits), changed=labels)


def _edge_key(request) -> tuple:
    return (id(request.requester), request.requested.name, request.via)


def _runs_fine_somewhere(analysis: Analysis, fixturedef: FixtureDef) -> bool:
    return any(test.nodeid not in analysis.failing_tests for test in analysis.users.get(id(fixturedef.fact), []))


def _why_not_editable(fixturedef: FixtureDef) -> str:
    if fixturedef.fact is None:
        return f"`{fixturedef.name}` is provided by pytest or a plugin"
    if declared_scope(fixturedef) is None:
        return f"fixlint cannot read the scope of `{fixturedef.label}`: {fixturedef.dynamic_scope}"
    return ""


def _known_scope(fixturedef: FixtureDef) -> Scope:
    """The declared scope of a fixture the plan changes: ``_why_not_editable`` let it through."""
    scope = declared_scope(fixturedef)
    assert scope is not None
    return scope


def scope_edit(fixturedef: FixtureDef, scope: Scope) -> Edit:
    fact = fixturedef.fact
    assert fact is not None
    return keyword_edit(fixturedef.path, fact.decorator, fact.scope, "scope", scope.value)


def keyword_edit(
    path: str, decorator: DecoratorCall, current: Optional[KeywordValue], keyword: str, value: str
) -> Edit:
    """Set ``keyword=value`` on a decorator: replace the literal, or add the argument."""
    if current is not None:
        span = current.span
        return Edit(
            path, span.line, span.column, span.end_line, span.end_column, f"{current.quote}{value}{current.quote}"
        )
    line, column = decorator.insert_at
    argument = f'{keyword}="{value}"'
    if decorator.insert_prefix == "(":
        return Edit(path, line, column, line, column, f"({argument})")
    return Edit(path, line, column, line, column, f"{decorator.insert_prefix}{argument}")


def to_pytest_asyncio_fixture(path: str, facts: FileFacts, fixture: FixtureFact) -> list[Edit]:
    """``@pytest.fixture`` takes no ``loop_scope``: the fixture moves to ``@pytest_asyncio.fixture``,
    which takes every argument of pytest's (auto mode runs both the same way)."""
    callee = fixture.decorator.callee
    edits = [Edit(path, callee.line, callee.column, callee.end_line, callee.end_column, "pytest_asyncio.fixture")]
    edits += filter(None, [import_edit(path, facts, "pytest_asyncio")])
    return edits
