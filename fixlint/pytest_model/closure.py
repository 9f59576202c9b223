"""A test's fixture closure and every request made while setting it up, from the test's point of
view, as ``FixtureRequest._get_active_fixturedef`` and ``SubRequest._check_scope`` resolve them."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Callable, Optional, Union

from fixlint.facts.model import MarksFact, ParametrizeFact
from fixlint.pytest_model.fixturedefs import FixtureDef, Holder
from fixlint.pytest_model.project import Project, TestItem
from fixlint.pytest_model.scope import Scope

ScopeOf = Callable[[FixtureDef], Optional[Scope]]
# pytest-asyncio's ``asyncio_default_fixture_loop_scope`` value for "each fixture's own scope".
MATCH_FIXTURE_SCOPE = "fixture-scope"


def declared_scope(fixturedef: FixtureDef) -> Optional[Scope]:
    return fixturedef.declared_scope


@dataclass(frozen=True)
class DirectParam:
    """pytest's pseudo fixturedef for an argument a test parametrizes directly."""

    name: str
    scope: Scope
    mark: ParametrizeFact


@dataclass(frozen=True)
class FailedLookup:
    """A request pytest cannot resolve (``FixtureLookupError`` at set-up): no visible fixture has the
    name (pytest's "fixture 'x' not found"), or every definition of it is already being set up on
    the way (``defined``: pytest's "recursive dependency involving fixture 'x' detected")."""

    name: str
    defined: bool


# (requester, lookup, via): a request pytest cannot resolve; the requester is None for the test.
Failure = tuple[Optional[FixtureDef], FailedLookup, str]
Requested = Union[FixtureDef, DirectParam]
# A Request's fields, in its order: made into one only where a group of requests starts.
RequestFields = tuple[FixtureDef, Optional[Scope], Requested, Optional[Scope], str]


@dataclass(frozen=True)
class Request:
    requester: FixtureDef
    requester_scope: Optional[Scope]
    requested: Requested
    requested_scope: Optional[Scope]
    via: str  # "argument", "getfixturevalue" or "loop" (pytest-asyncio's runner)

    @functools.cached_property  # asked once per test that makes the request
    def is_mismatch(self) -> bool:
        if self.requester_scope is None or self.requested_scope is None:
            return False
        return self.requester_scope > self.requested_scope

    @functools.cached_property
    def is_undecided(self) -> bool:
        """One side's scope is dynamic and the other side's leaves a mismatch possible."""
        if self.requester_scope is None:
            return self.requested_scope is not None and self.requested_scope < Scope.SESSION
        if self.requested_scope is None:
            return self.requester_scope > Scope.FUNCTION
        return False


# (requester, name, requested, via): one request made while setting a test up. The requester is
# None for the test itself; a name the test parametrizes directly stands for its DirectParam.
Edge = tuple[Optional[FixtureDef], str, Union[FixtureDef, str], str]
# The multiset of names of several definitions on the way to a fixture, sorted: which of a
# name's definitions the next request of it gets (pytest's ``fixturedefs[-1 - count]``).
Counts = tuple[str, ...]


class Resolution:
    """What names resolve to from one context (a chain of holders, and the names the test
    parametrizes directly), and the requests each fixture makes from there, memoized.

    pytest walks the closure per test, but what a fixture transitively requests depends only on
    the context, so the tests of a context share the walks. A context asks the next wider one
    (``base``) about every name that reaches none of the names it resolves otherwise (``local``):
    the walks of a folder's conftest fixtures are made once for the whole folder.
    """

    def __init__(self, chain: tuple[Holder, ...], direct: frozenset[str], base: Optional[Resolution]) -> None:
        self.chain = chain
        self.direct = direct
        self.base = base
        self.local = direct.union(*(holder.defs for holder in chain[len(base.chain) :])) if base else direct
        self._defs: dict[str, tuple[FixtureDef, ...]] = {}
        self._reach: dict[str, tuple[frozenset[str], bool]] = {}
        self._expansions: dict[tuple[FixtureDef, Counts], list[Edge]] = {}
        self._walks: dict[tuple[str, str], Optional[list[Edge]]] = {}
        self._params_scope: dict[tuple[str, ScopeOf], Optional[Scope]] = {}

    def defs(self, name: str) -> tuple[FixtureDef, ...]:
        found = self._defs.get(name)
        if found is None:
            found = self._defs[name] = tuple(
                fixturedef for holder in self.chain for fixturedef in holder.defs.get(name, ())
            )
        return found

    def params_scope(self, name: str, scope_of: ScopeOf) -> Optional[Scope]:
        """The scope at which the ``params`` of the definition of ``name`` that a test gets (or of
        one it overrides and requests) parametrize it; None without params."""
        key = (name, scope_of)
        if key not in self._params_scope:
            self._params_scope[key] = None
            for fixturedef in reversed(self.defs(name)):
                if fixturedef.fact is not None and fixturedef.fact.has_params:
                    self._params_scope[key] = scope_of(fixturedef)
                    break
                if fixturedef.fact is None or name not in fixturedef.fact.argnames:
                    break
        return self._params_scope[key]

    # -- what a name may reach -------------------------------------------------------------
    def reach(self, name: str) -> tuple[frozenset[str], bool]:
        """Every name a walk from ``name`` may look up (through any definition of each), and
        whether one of them has a single definition and stands in a cycle: walks from there
        depend on the path taken (pytest stops a name already on it), so they are not shared."""
        if name not in self._reach and not self._delegated(name):
            self._tarjan(name, {}, [], set())
        return self._reach[name]

    def _delegated(self, name: str) -> bool:
        """The base resolves ``name`` and all it reaches as this context does: take its answer."""
        if self.base is None or name in self.local:
            return False
        answer = self.base.reach(name)
        if not answer[0].isdisjoint(self.local):
            return False
        self._reach[name] = answer
        return True

    def _requested_by(self, name: str) -> set[str]:
        return {
            requested
            for fixturedef in self.defs(name)
            if fixturedef.fact is not None
            for requested in fixturedef.requests
            if requested != "request"
        }

    def _tarjan(self, name: str, index: dict[str, int], stack: list[str], pending: set[str]) -> int:
        """Tarjan's strongly connected components over the names, each component's answer once."""
        low = index[name] = len(index)
        stack.append(name)
        pending.add(name)
        requested = self._requested_by(name)
        for other in requested:
            if other in self._reach or self._delegated(other):
                continue
            if other not in index:
                low = min(low, self._tarjan(other, index, stack, pending))
            elif other in pending:
                low = min(low, index[other])
        if low == index[name]:
            component = []
            while True:
                member = stack.pop()
                pending.discard(member)
                component.append(member)
                if member == name:
                    break
            cyclic = len(component) > 1 or name in requested
            reach = set(component)
            unsafe = cyclic and any(len(self.defs(member)) == 1 for member in component)
            for member in component:
                for other in self._requested_by(member):
                    if other not in reach:
                        other_reach, other_unsafe = self._reach[other]
                        reach |= other_reach
                        unsafe = unsafe or other_unsafe
            answer = (frozenset(reach), unsafe)
            for member in component:
                self._reach[member] = answer
        return low

    # -- walks ------------------------------------------------------------------------------
    def resolve(self, name: str, counts: Counts) -> tuple[Union[FixtureDef, str, None], Counts]:
        """What a request of ``name`` gets, after the names of several definitions ``counts``."""
        if name == "request":
            return None, counts
        if name in self.direct:
            return name, counts
        defs = self.defs(name)
        if len(defs) > 1:
            taken = counts.count(name)
            if taken >= len(defs):
                return None, counts
            return defs[-1 - taken], tuple(sorted(counts + (name,)))
        return (defs[0] if defs else None), counts

    def walk(self, name: str, via: str) -> Optional[list[Edge]]:
        """The requests of a test's request of ``name``, each once, in the order pytest makes them
        first; None when its reach has a cycle. Without one, a fixture's requests depend on the
        counts alone, and a walk that skips what it already saw (as ``walk_exactly`` does) makes
        the same first requests in the same order."""
        key = (name, via)
        if key not in self._walks:
            self._walks[key] = None if self.reach(name)[1] else self._walk(name, via)
        return self._walks[key]

    def _walk(self, name: str, via: str) -> list[Edge]:
        if self._delegated(name):
            return self._base_walk(name, via)
        target, counts = self.resolve(name, ())
        if target is None:
            return []
        edge = (None, name, target, via)
        if isinstance(target, str):
            return [edge]
        return [edge, *self._expansion(target, counts)]

    def _expansion(self, fixturedef: FixtureDef, counts: Counts) -> list[Edge]:
        key = (fixturedef, counts)
        found = self._expansions.get(key)
        if found is not None:
            return found
        edges: list[Edge] = []
        fact = fixturedef.fact
        if fact is not None:
            for via, names in (("argument", fact.argnames), ("getfixturevalue", fact.getfixturevalue)):
                for name in names:
                    target, after = self.resolve(name, counts)
                    if target is None:
                        continue
                    edges.append((fixturedef, name, target, via))
                    if isinstance(target, str):
                        continue
                    if self._delegated(name) and self._reach[name][0].isdisjoint(counts):
                        # Nothing it reaches is local or counted: the base's walk of it, shared.
                        edges += self._base_walk(name, via)[1:]
                    else:
                        edges += self._expansion(target, after)
        found = self._expansions[key] = list(dict.fromkeys(edges))
        return found

    def _base_walk(self, name: str, via: str) -> list[Edge]:
        """The base's walk of a name this context delegates: the same reach, so no cycle in it."""
        walked = self.base.walk(name, via) if self.base is not None else None
        assert walked is not None, name
        return walked

    def walk_exactly(self, names: Sequence[str], requested: Sequence[str]) -> list[Edge]:
        """pytest's own order, depth first, each fixture's requests followed once per counts:
        for tests whose reach has a cycle, where walks cannot be shared."""
        walked: list[Edge] = []
        visited: set[tuple[FixtureDef, Counts]] = set()

        def visit(name: str, requester: Optional[FixtureDef], chain: tuple[str, ...], via: str) -> None:
            if name == "request":
                return
            if name in self.direct:
                walked.append((requester, name, name, via))
                return
            defs = self.defs(name)
            index = -1 - chain.count(name)
            if not defs or -index > len(defs):
                return
            fixturedef = defs[index]
            walked.append((requester, name, fixturedef, via))
            key = (fixturedef, tuple(sorted(n for n in chain + (name,) if len(self.defs(n)) > 1)))
            if key in visited or fixturedef.fact is None:
                return
            visited.add(key)
            for argname in fixturedef.fact.argnames:
                visit(argname, fixturedef, chain + (name,), "argument")
            for argname in fixturedef.fact.getfixturevalue:
                visit(argname, fixturedef, chain + (name,), "getfixturevalue")

        for name in names:
            visit(name, None, (), "argument")
        for name in requested:
            visit(name, None, (), "getfixturevalue")
        return walked


def resolution(project: Project, test: TestItem, direct: frozenset[str]) -> Resolution:
    """The context of ``test``, one per run for all the tests that share it, each context based
    on the next wider one: the session's and conftests', the test's chain, its direct names.
    The contexts of a module and its classes serve its tests alone: they are kept while its
    tests are read, one module at a time (most of the memory of a large suite's walks)."""
    folder = test.chain[: test.base]
    key = tuple(map(id, folder))
    found = project.folder_resolutions.get(key)
    if found is None:
        found = project.folder_resolutions[key] = Resolution(folder, frozenset(), None)
    if project.module_resolutions[0] != test.file.path:
        project.module_resolutions = (test.file.path, {})
    contexts = project.module_resolutions[1]
    chain = tuple(map(id, test.chain))
    for names in (frozenset(), direct) if direct else (frozenset(),):
        base, found = found, contexts.get((chain, names))
        if found is None:
            found = contexts[chain, names] = Resolution(test.chain, names, base)
    return found


class TestView:
    """One test's view of the fixtures: what each name resolves to and at which scope."""

    def __init__(self, project: Project, test: TestItem, scope_of: ScopeOf = declared_scope) -> None:
        self.test = test
        self.scope_of = scope_of
        self.direct: dict[str, DirectParam] = {}
        self.param_scope: dict[str, Scope] = {}
        marks = list(test.marks())
        self._read_parametrize_marks(project, marks)
        self.resolution = resolution(project, test, frozenset(self.direct))
        self.initial_names = self._initial_names(marks)
        requested = test.function.getfixturevalue
        walk = self.resolution.walk
        walks = [walk(name, "argument") for name in self.initial_names] + [
            walk(name, "getfixturevalue") for name in requested
        ]
        if None in walks:
            walked = self.resolution.walk_exactly(self.initial_names, requested)
        else:
            walked = [edge for edges in walks if edges is not None for edge in edges]
        # Each request once, where pytest first makes it: all that scopes and groups depend on.
        self.edges = list(dict.fromkeys(walked))
        self._read_fixture_params()

    def fixturedefs(self, name: str) -> tuple[FixtureDef, ...]:
        return self.resolution.defs(name)

    def _initial_names(self, marks: list[MarksFact]) -> list[str]:
        names: list[str] = list(self.test.config.usefixtures)
        for holder in self.test.chain:
            names.extend(holder.autouse)
        for mark in marks:
            names.extend(mark.usefixtures)
        names.extend(self.test.function.argnames)
        for mark in marks:
            for parametrize in mark.parametrize:
                names.extend(parametrize.argnames)
        return list(dict.fromkeys(names))

    def effective_scope(self, fixturedef: FixtureDef) -> Optional[Scope]:
        """The scope of the SubRequest pytest makes: a parametrization's scope overrides the fixture's."""
        return self.param_scope.get(fixturedef.name) or self.scope_of(fixturedef)

    # -- parametrization ---------------------------------------------------------------
    def _read_parametrize_marks(self, project: Project, marks: list[MarksFact]) -> None:
        for mark_set in marks:
            for mark in mark_set.parametrize:
                indirect = set(mark.argnames) if mark.indirect is True else set(mark.indirect or ())
                scope = Scope.parse(mark.scope) if mark.scope else None
                if scope is None:
                    scope = self._parametrize_scope(project, mark, indirect)
                for name in mark.argnames:
                    if name in self.param_scope:
                        continue
                    self.param_scope[name] = scope
                    if name not in indirect:
                        self.direct[name] = DirectParam(name, scope, mark)

    def _parametrize_scope(self, project: Project, mark: ParametrizeFact, indirect: set[str]) -> Scope:
        """``_find_parametrized_scope``: the narrowest fixture scope when every name is indirect."""
        if not indirect or any(name not in indirect for name in mark.argnames):
            return Scope.FUNCTION
        # Direct names do not change what a name resolves to: the context without them answers.
        defs_of = resolution(project, self.test, frozenset()).defs
        scopes: list[Scope] = []
        for name in mark.argnames:
            defs = defs_of(name)
            scope = self.scope_of(defs[-1]) if defs else None
            if scope is not None:
                scopes.append(scope)
        return min(scopes, default=Scope.FUNCTION)

    def _read_fixture_params(self) -> None:
        """``FixtureManager.pytest_generate_tests``: a fixture's ``params`` parametrize at its scope."""
        for name in dict.fromkeys(name for _, name, _, _ in self.edges):
            if name not in self.param_scope:
                scope = self.resolution.params_scope(name, self.scope_of)
                if scope is not None:
                    self.param_scope[name] = scope

    # -- traversal ---------------------------------------------------------------------
    def requests(self) -> Iterator[RequestFields]:
        """Every request made while setting up the test, each edge once, as the fields of a Request."""
        seen: set[tuple[int, int]] = set()
        for requester, _, target, via in self.edges:
            if requester is None:
                continue
            if isinstance(target, str):
                requested = self.direct[target]
                yield requester, self.effective_scope(requester), requested, requested.scope, via
                continue
            # pytest checks the requester's SubRequest scope (a parametrization overrides it)
            # against the requested fixture's own scope (``_check_scope(fixturedef, fixturedef._scope)``).
            yield requester, self.effective_scope(requester), target, self.scope_of(target), via
            loop = self.loop_request(target)
            if loop is not None and (id(target), id(loop[2])) not in seen:
                seen.add((id(target), id(loop[2])))
                yield loop
        for name in self.initial_names:
            defs = self.fixturedefs(name)
            if defs and name not in self.direct:
                loop = self.loop_request(defs[-1])
                if loop is not None and (id(defs[-1]), id(loop[2])) not in seen:
                    seen.add((id(defs[-1]), id(loop[2])))
                    yield loop

    def setup_failures(self) -> list[Failure]:
        """The requests pytest cannot resolve while setting the test up, found as pytest sets it
        up (``_fillfixtures``): the names of its closure in order, each fixture's arguments, then
        its ``getfixturevalue`` calls; a name already set up for the test is not looked up again.
        pytest stops at the first; past a name not found this goes on as if a plugin provided it
        (fixlint may know one that does), up to the first cycle. The walks above share what they
        can and so follow requests pytest never makes once a name is set up: they cannot say this."""
        failures: list[Failure] = []
        done: set[str] = set()
        stack: list[str] = []

        def stops(name: str, requester: Optional[FixtureDef], via: str) -> bool:
            if name == "request" or name in done or name in self.direct:
                return False
            defs = self.fixturedefs(name)
            index = -1 - stack.count(name)
            if not defs or -index > len(defs):
                failures.append((requester, FailedLookup(name, bool(defs)), via))
                done.add(name)
                return bool(defs)
            fixturedef = defs[index]
            fact = fixturedef.fact
            if fact is not None:
                stack.append(name)
                # The body runs, and calls getfixturevalue, once its arguments are set up.
                requests = [(argname, "argument") for argname in fact.argnames]
                requests += [(argname, "getfixturevalue") for argname in fact.getfixturevalue]
                if any(stops(argname, fixturedef, how) for argname, how in requests):
                    return True
                stack.pop()
            done.add(name)
            return False

        requests = [(name, "argument") for name in self._closure()]
        requests += [(name, "getfixturevalue") for name in self.test.function.getfixturevalue]  # as it runs
        any(stops(name, None, how) for name, how in requests)
        return failures

    def _closure(self) -> list[str]:
        """``traverse_fixture_closure`` from the initial names, sorted by scope, widest first."""
        closure: dict[str, None] = {}
        indices: dict[str, int] = {}

        def process(name: str) -> None:
            index = indices.get(name)
            if index == -1:
                return
            if index is None:
                closure[name] = None
                indices[name] = -1
            defs = () if name in self.direct else self.fixturedefs(name)
            index = indices.get(name, -1)
            if not defs or -index > len(defs):
                return
            fact = defs[index].fact
            indices[name] = index - 1
            for argname in fact.argnames if fact is not None else ():
                process(argname)
            indices[name] = index

        for name in self.initial_names:
            process(name)

        def scope(name: str) -> Scope:
            if name in self.direct:
                return self.param_scope.get(name, Scope.FUNCTION)
            defs = self.fixturedefs(name)
            return (self.scope_of(defs[-1]) if defs else None) or Scope.FUNCTION

        return sorted(closure, key=scope, reverse=True)

    def used_defs(self) -> set[FixtureDef]:
        return {target for _, _, target, _ in self.edges if isinstance(target, FixtureDef)}

    def loop_request(self, fixturedef: FixtureDef) -> Optional[RequestFields]:
        """pytest-asyncio sets an async fixture up by requesting the runner of its loop scope."""
        fact = fixturedef.fact
        if fact is None or not handled_by_asyncio(fact.flavour, fact.is_async, self.test.config.asyncio_mode):
            return None
        scope = self.effective_scope(fixturedef)
        loop_scope = fixture_loop_scope(fixturedef, self.test.config.asyncio_default_fixture_loop_scope, self.scope_of)
        if loop_scope is None:
            return None
        runner = self.fixturedefs(f"_{loop_scope.value}_scoped_runner")[-1]
        return fixturedef, scope, runner, loop_scope, "loop"


def handled_by_asyncio(flavour: str, is_async: bool, asyncio_mode: str) -> bool:
    return flavour == "pytest_asyncio" or (asyncio_mode == "auto" and is_async)


def fixture_loop_scope(fixturedef: FixtureDef, default: Optional[str], scope_of: ScopeOf) -> Optional[Scope]:
    """``loop_scope=``, else ``asyncio_default_fixture_loop_scope``, else the fixture's own scope."""
    fact = fixturedef.fact
    if fact is not None and fact.loop_scope is not None:
        return fixturedef.declared_loop_scope
    if default and default != MATCH_FIXTURE_SCOPE:
        return Scope.parse(default)
    return scope_of(fixturedef)
