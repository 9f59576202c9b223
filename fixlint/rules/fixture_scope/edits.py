"""Fixes of the fixture-scope family: narrow scopes (cascading to every fixture the change puts
in conflict) and set ``loop_scope``, as edits of the decorator and, where a plain
``@pytest.fixture`` must become ``@pytest_asyncio.fixture``, of the imports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from fixlint.facts.model import DecoratorCall, FileFacts, FixtureFact, KeywordValue
from fixlint.findings import Applicability, Edit, Fix, FixDeclined
from fixlint.pytest_model.analysis import Analysis, analyse
from fixlint.pytest_model.closure import Request, declared_scope
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


def planned_narrowing(
    project: Project, analysis: Analysis, targets: dict[FixtureDef, Scope], fix_to: str
) -> tuple[Optional[Fix], str]:
    """``plan_narrowing``'s unsafe fix, planned only when its edits are asked for (by `fix`, or an
    output that shows them): the cascade re-analyses the tests of every fixture it changes, and
    what it changes cannot make an unsafe fix safe. A target that cannot be edited gives no fix,
    and why, at once."""
    reason = next(filter(None, map(_why_not_editable, targets)), "")
    if reason:
        return None, reason

    def edits() -> tuple[Edit, ...]:
        plan = plan_narrowing(project, analysis, targets, fix_to, Applicability.UNSAFE)
        if plan.fix is None:
            raise FixDeclined(plan.reason)
        return plan.fix.edits

    return Fix(Applicability.UNSAFE, edits), ""


@dataclass(frozen=True)
class Widening:
    """Widening the requested fixture instead: one edit, unsafe (the fixture is shared more widely)."""

    fixturedef: FixtureDef
    scope: Scope  # the broadest scope that requests it in a mismatch
    fix: Optional[Fix]
    reason: str = ""  # why it cannot be widened
    requesters: int = 0  # how many fixtures request it in a mismatch

    @property
    def label(self) -> str:
        return f"{self.fixturedef.label} ({_known_scope(self.fixturedef).value} -> {self.scope.value})"


class Widenings:
    """Which fixtures that are requested in a mismatch could be widened instead, read from one analysis."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.requests: dict[int, list[Request]] = {}  # id(FixtureFact) -> the requests it makes
        self.needed: dict[int, tuple[Scope, set[int]]] = {}  # id(FixtureFact) -> scope, requesters
        for group in analysis.groups.values():
            request = group.request
            self.requests.setdefault(id(request.requester.fact), []).append(request)
            requested = request.requested
            if request.is_mismatch and isinstance(requested, FixtureDef) and requested.fact is not None:
                assert request.requester_scope is not None  # a mismatch: both scopes are known
                scope, requesters = self.needed.get(id(requested.fact), (request.requester_scope, set()))
                requesters.add(id(request.requester.fact))
                self.needed[id(requested.fact)] = (max(scope, request.requester_scope), requesters)

    def widening(self, fixturedef: FixtureDef) -> Optional[Widening]:
        """How ``fixturedef`` would be widened to the scope its mismatches need, or why it cannot;
        None for a fixture no mismatch requests."""
        if fixturedef.fact is None or id(fixturedef.fact) not in self.needed:
            return None
        scope, requesters = self.needed[id(fixturedef.fact)]
        reason = _why_not_editable(fixturedef) or self._why_not_widened(fixturedef, scope)
        fix = None if reason else Fix(Applicability.UNSAFE, (scope_edit(fixturedef, scope),))
        return Widening(fixturedef, scope, fix, reason, len(requesters))

    def _why_not_widened(self, fixturedef: FixtureDef, scope: Scope) -> str:
        fact = fixturedef.fact
        assert fact is not None
        tests = self.analysis.users.get(id(fact), [])
        parametrized = any(fixturedef.name in p.argnames for test in tests for m in test.marks() for p in m.parametrize)
        if fact.has_params or parametrized:
            return "it is parametrized"
        # Every fixture it requests, transitively, must be at least as broad as the new scope.
        seen = {id(fact)}
        pending = [fact]
        while pending:
            for request in self.requests.get(id(pending.pop()), []):
                requested = request.requested
                if request.requester.fact is fact and request.via == "loop":
                    return "pytest-asyncio runs it in an event loop of its own"
                if request.requester.fact is fact and request.requester_scope != declared_scope(request.requester):
                    return "a parametrization sets its scope"
                if request.via == "loop":
                    continue  # a fixture it requests runs in a loop: its own scope is what counts
                if request.requested_scope is None:
                    return f"the scope of `{requested.name}`, which it requests, is dynamic"
                if request.requested_scope < scope:
                    how = "" if request.requester.fact is fact else f" through `{request.requester.label}`"
                    return f"it requests `{requested.name}`{how} ({request.requested_scope.value} scope)"
                if isinstance(requested, FixtureDef) and requested.fact is not None and id(requested.fact) not in seen:
                    seen.add(id(requested.fact))
                    pending.append(requested.fact)
        return ""


def _edge_key(request) -> tuple:
    return (id(request.requester), request.requested.name, request.via)


def _runs_fine_somewhere(analysis: Analysis, fixturedef: FixtureDef) -> bool:
    return any(test.nodeid not in analysis.failing_tests for test in analysis.users.get(id(fixturedef.fact), []))


def _why_not_editable(fixturedef: FixtureDef) -> str:
    if fixturedef.fact is None:
        return f"`{fixturedef.name}` is provided by pytest or a plugin"
    scope = fixturedef.fact.scope
    if scope is not None and scope.literal is None:
        return f"the scope of `{fixturedef.label}` is dynamic"
    if declared_scope(fixturedef) is None:
        return f"`{fixturedef.label}` has a scope pytest does not know"
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
