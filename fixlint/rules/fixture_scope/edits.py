"""Fixes of the fixture-scope family: narrow scopes (cascading to every fixture the change puts
in conflict) and set ``loop_scope`` (on the fixture, and on the tests and fixtures that must share
its loop), as edits of the decorators and, where a plain ``@pytest.fixture`` must become
``@pytest_asyncio.fixture`` or a test gets an asyncio mark, of the imports."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

from fixlint.facts.model import DecoratorCall, FileFacts, KeywordValue
from fixlint.findings import Applicability, Edit, Fix, FixDeclined
from fixlint.modules import SourceFile
from fixlint.pytest_model.analysis import Analysis, analyse
from fixlint.pytest_model.closure import Request, declared_scope, fixture_loop_scope, handled_by_asyncio
from fixlint.pytest_model.fixturedefs import FixtureDef
from fixlint.pytest_model.plugins import run_by_asyncio, test_loop_scope
from fixlint.pytest_model.project import Project, TestItem
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


# -- loop scopes -------------------------------------------------------------------------------


@dataclass
class LoopIndex:
    """Which tests set up which fixture, both ways, for the loop plans of one run."""

    defs: dict[int, tuple[SourceFile, FixtureDef]]  # by id(FixtureFact)
    users: dict[int, list[TestItem]]
    fixtures_of: dict[str, list[int]]  # test node id -> the fixtures it sets up

    @classmethod
    def of(cls, project: Project, analysis: Analysis) -> LoopIndex:
        defs = {id(fact): (file, project.fixture_def(file, fact)) for file, fact in project.fixture_facts()}
        fixtures_of: dict[str, list[int]] = {}
        for key, tests in analysis.users.items():
            for test in tests:
                fixtures_of.setdefault(test.nodeid, []).append(key)
        return cls(defs, analysis.users, fixtures_of)

    def loop_of(self, key: int) -> Optional[Scope]:
        """The loop an async fixture runs in; None when pytest-asyncio does not run it."""
        file, fixturedef = self.defs[key]
        fact = fixturedef.fact
        assert fact is not None
        if not handled_by_asyncio(fact.flavour, fact.is_async, file.config.asyncio_mode):
            return None
        return fixture_loop_scope(fixturedef, file.config.asyncio_default_fixture_loop_scope, declared_scope)


@dataclass(frozen=True)
class LoopPlan:
    loop: Scope  # the one loop the fixture and its tests run in after the fix
    fix: Optional[Fix]
    reason: str = ""  # why there is no fix
    fixtures: tuple[str, ...] = ()  # the other fixtures whose loop the fix changes
    tests: tuple[str, ...] = ()  # the tests it moves to that loop
    files: int = 0


def plan_loop(index: LoopIndex, key: int, needed: Scope, failing: set[str]) -> LoopPlan:
    """Run the fixture ``key`` in a loop of at least ``needed`` scope, together with the async
    tests that use it: an object made in the fixture (a queue, an event, a client) is bound to the
    loop it was made in. The loop is the broadest of ``needed`` and the tests' loops; a test in
    another loop moves to it (its asyncio mark gets ``loop_scope``), and so does every async
    fixture that ran in that test's loop, and every test of such a fixture, until none is left.
    Safe when every test whose loop changes, or that uses a fixture whose loop changes, fails today."""
    loop = needed
    for test in index.users.get(key, []):
        if run_by_asyncio(test):
            current = test_loop_scope(test)
            if current is None:
                return LoopPlan(loop, None, f"the loop scope of `{test.nodeid}` is not a literal")
            loop = max(loop, current)
    for _ in range(MAX_CASCADE_ROUNDS):
        try:
            changed, moved, broader = _loop_closure(index, key, loop)
        except _NoLoopFix as error:
            return LoopPlan(loop, None, str(error))
        if broader is None:
            break
        loop = broader
    else:
        return LoopPlan(loop, None, f"the change does not settle within {MAX_CASCADE_ROUNDS} rounds")
    edits: set[Edit] = set()
    imports: dict[str, tuple[FileFacts, set[str]]] = {}
    for changed_key in changed:
        file, fixturedef = index.defs[changed_key]
        fact = fixturedef.fact
        assert fact is not None
        edits.add(keyword_edit(fixturedef.path, fact.decorator, fact.loop_scope, "loop_scope", loop.value))
        if fact.flavour == "pytest":
            callee = fact.decorator.callee
            edits.add(
                Edit(fixturedef.path, callee.line, callee.column, callee.end_line, callee.end_column, _ASYNCIO_FIXTURE)
            )
            imports.setdefault(fixturedef.path, (file.facts, set()))[1].add("pytest_asyncio")
    for test in moved.values():
        path, function = str(test.file.path), test.function
        mark = function.marks.asyncio
        if mark is not None and mark.call is None:
            return LoopPlan(loop, None, f"the asyncio mark of `{test.nodeid}` is a variable shared with other tests")
        if mark is not None and mark.call is not None:
            edits.add(keyword_edit(path, mark.call, mark.loop_scope, "loop_scope", loop.value))
        elif function.decorator_indent is None:
            return LoopPlan(loop, None, f"`{test.nodeid}` does not start its line: no mark can go above it")
        else:
            line = function.decorator_line
            mark_text = f'{function.decorator_indent}@pytest.mark.asyncio(loop_scope="{loop.value}")\n'
            edits.add(Edit(path, line, 1, line, 1, mark_text))
            imports.setdefault(path, (test.file.facts, set()))[1].add("pytest")
    for path, (facts, modules) in imports.items():
        wanted = [edit for module in sorted(modules) if (edit := import_edit(path, facts, module)) is not None]
        if wanted:
            added = replace(wanted[0], content="".join(edit.content for edit in wanted))
            # A test on the import's line gets its mark below the imports, not above them.
            at = (path, added.line, added.column, added.end_line, added.end_column)
            below = next((e for e in edits if (e.path, e.line, e.column, e.end_line, e.end_column) == at), None)
            if below is not None:
                edits.discard(below)
                added = replace(added, content=f"{added.content}\n\n{below.content}")
            edits.add(added)
    affected = {test.nodeid for changed_key in changed for test in index.users.get(changed_key, [])} | set(moved)
    applicability = Applicability.SAFE if affected <= failing else Applicability.UNSAFE
    others = tuple(sorted(index.defs[k][1].label for k in changed if k != key))
    files = {edit.path for edit in edits}
    return LoopPlan(loop, Fix(applicability, tuple(sorted(edits))), "", others, tuple(sorted(moved)), len(files))


_ASYNCIO_FIXTURE = "pytest_asyncio.fixture"


class _NoLoopFix(Exception):
    """Why no loop can be chosen for the fixture and its tests."""


def _loop_closure(index: LoopIndex, key: int, loop: Scope) -> tuple[set[int], dict[str, TestItem], Optional[Scope]]:
    """The fixtures whose loop must become ``loop`` and the tests that must move to it; and the
    broader loop that a fixture met on the way needs, if one does (then ``loop`` will not do)."""
    changed = {key}
    moved: dict[str, TestItem] = {}
    queue = [key]
    while queue:
        for test in index.users.get(queue.pop(), []):
            if test.nodeid in moved or not run_by_asyncio(test):
                continue
            current = test_loop_scope(test)
            if current is None:
                raise _NoLoopFix(f"the loop scope of `{test.nodeid}` is not a literal")
            if current == loop:
                continue
            moved[test.nodeid] = test
            # A fixture that ran in the test's loop would now run in another one than the test.
            for other in index.fixtures_of.get(test.nodeid, []):
                if other in changed or index.loop_of(other) != current:
                    continue
                scope = declared_scope(index.defs[other][1])
                if scope is None:
                    raise _NoLoopFix(f"the scope of `{index.defs[other][1].label}` is dynamic")
                if scope > loop:
                    return changed, moved, scope
                changed.add(other)
                queue.append(other)
    return changed, moved, None
