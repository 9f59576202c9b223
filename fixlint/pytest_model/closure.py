"""A test's fixture closure and every request made while setting it up, from the test's point of
view, as ``FixtureRequest._get_active_fixturedef`` and ``SubRequest._check_scope`` resolve them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterator, Optional, Union

from fixlint.facts import ParametrizeFact
from fixlint.project import TestItem
from fixlint.pytest_model.fixturedefs import FixtureDef
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


Requested = Union[FixtureDef, DirectParam]


@dataclass(frozen=True)
class Request:
    requester: FixtureDef
    requester_scope: Optional[Scope]
    requested: Requested
    requested_scope: Optional[Scope]
    via: str  # "argument", "getfixturevalue" or "loop" (pytest-asyncio's runner)

    @property
    def is_mismatch(self) -> bool:
        if self.requester_scope is None or self.requested_scope is None:
            return False
        return self.requester_scope > self.requested_scope

    @property
    def is_undecided(self) -> bool:
        """One side's scope is dynamic and the other side's leaves a mismatch possible."""
        if self.requester_scope is None:
            return self.requested_scope is not None and self.requested_scope < Scope.SESSION
        if self.requested_scope is None:
            return self.requester_scope > Scope.FUNCTION
        return False


class TestView:
    """One test's view of the fixtures: what each name resolves to and at which scope."""

    def __init__(self, test: TestItem, scope_of: ScopeOf = declared_scope) -> None:
        self.test = test
        self.scope_of = scope_of
        self._defs: dict[str, list[FixtureDef]] = {}
        self.direct: dict[str, DirectParam] = {}
        self.param_scope: dict[str, Scope] = {}
        self._read_parametrize_marks()
        # Scopes do not change which fixtures are requested (nor a direct parametrization's
        # scope): walk once per test, however many times its scopes are judged.
        if test.walked is None:
            test.walked = list(self._walk())
        self._walked = test.walked
        self.closure = list(dict.fromkeys(name for _, name, _, _ in self._walked))
        self._read_fixture_params()

    def fixturedefs(self, name: str) -> list[FixtureDef]:
        if name not in self._defs:
            defs: list[FixtureDef] = []
            for holder in self.test.chain:
                defs.extend(holder.defs.get(name, ()))
            self._defs[name] = defs
        return self._defs[name]

    def initial_names(self) -> list[str]:
        names: list[str] = list(self.test.config.usefixtures)
        for holder in self.test.chain:
            names.extend(holder.autouse)
        for marks in self.test.marks():
            names.extend(marks.usefixtures)
        names.extend(self.test.function.argnames)
        for marks in self.test.marks():
            for mark in marks.parametrize:
                names.extend(mark.argnames)
        return list(dict.fromkeys(names))

    def effective_scope(self, fixturedef: FixtureDef) -> Optional[Scope]:
        """The scope of the SubRequest pytest makes: a parametrization's scope overrides the fixture's."""
        return self.param_scope.get(fixturedef.name) or self.scope_of(fixturedef)

    # -- parametrization ---------------------------------------------------------------
    def _read_parametrize_marks(self) -> None:
        for marks in self.test.marks():
            for mark in marks.parametrize:
                indirect = set(mark.argnames) if mark.indirect is True else set(mark.indirect or ())
                scope = Scope.parse(mark.scope) if mark.scope else None
                if scope is None:
                    scope = self._parametrize_scope(mark, indirect)
                for name in mark.argnames:
                    if name in self.param_scope:
                        continue
                    self.param_scope[name] = scope
                    if name not in indirect:
                        self.direct[name] = DirectParam(name, scope, mark)

    def _parametrize_scope(self, mark: ParametrizeFact, indirect: set[str]) -> Scope:
        """``_find_parametrized_scope``: the narrowest fixture scope when every name is indirect."""
        if not indirect or any(name not in indirect for name in mark.argnames):
            return Scope.FUNCTION
        scopes = []
        for name in mark.argnames:
            defs = self.fixturedefs(name)
            if defs and self.scope_of(defs[-1]) is not None:
                scopes.append(self.scope_of(defs[-1]))
        return min(scopes, default=Scope.FUNCTION)

    def _read_fixture_params(self) -> None:
        """``FixtureManager.pytest_generate_tests``: a fixture's ``params`` parametrize at its scope."""
        for name in self.closure:
            if name in self.param_scope:
                continue
            for fixturedef in reversed(self.fixturedefs(name)):
                if fixturedef.fact is not None and fixturedef.fact.has_params:
                    scope = self.scope_of(fixturedef)
                    if scope is not None:
                        self.param_scope[name] = scope
                    break
                if fixturedef.fact is None or name not in fixturedef.fact.argnames:
                    break

    # -- traversal ---------------------------------------------------------------------
    def requests(self) -> Iterator[Request]:
        """Every request made while setting up the test, each edge once."""
        seen: set[tuple[int, int, str]] = set()
        for requester, name, requested, via in self._walked:
            if requester is None:
                continue
            if isinstance(requested, DirectParam):
                request = Request(requester, self.effective_scope(requester), requested, requested.scope, via)
            else:
                # pytest checks the requester's SubRequest scope (a parametrization overrides it)
                # against the requested fixture's own scope (``_check_scope(fixturedef, fixturedef._scope)``).
                request = Request(requester, self.effective_scope(requester), requested, self.scope_of(requested), via)
            key = (id(requester), id(requested), via)
            if key not in seen:
                seen.add(key)
                yield request
            if isinstance(requested, FixtureDef):
                loop = self.loop_request(requested)
                if loop is not None and (id(requested), id(loop.requested), "loop") not in seen:
                    seen.add((id(requested), id(loop.requested), "loop"))
                    yield loop
        for name in self.initial_names():
            defs = self.fixturedefs(name)
            if defs and name not in self.direct:
                loop = self.loop_request(defs[-1])
                if loop is not None and (id(defs[-1]), id(loop.requested), "loop") not in seen:
                    seen.add((id(defs[-1]), id(loop.requested), "loop"))
                    yield loop

    def used_defs(self) -> set[FixtureDef]:
        return {requested for _, _, requested, _ in self._walked if isinstance(requested, FixtureDef)}

    def loop_request(self, fixturedef: FixtureDef) -> Optional[Request]:
        """pytest-asyncio sets an async fixture up by requesting the runner of its loop scope."""
        fact = fixturedef.fact
        if fact is None or not handled_by_asyncio(fact.flavour, fact.is_async, self.test.config.asyncio_mode):
            return None
        scope = self.effective_scope(fixturedef)
        loop_scope = fixture_loop_scope(fixturedef, self.test.config.asyncio_default_fixture_loop_scope, self.scope_of)
        if loop_scope is None:
            return None
        runner = self.fixturedefs(f"_{loop_scope.value}_scoped_runner")[-1]
        return Request(fixturedef, scope, runner, loop_scope, "loop")

    def _walk(self) -> Iterator[tuple[Optional[FixtureDef], str, Requested, str]]:
        """(requester, name, requested, via) for every request, depth first, as pytest sets up."""
        visited: set[tuple[int, frozenset]] = set()

        def visit(name: str, requester: Optional[FixtureDef], chain: tuple[str, ...], via: str):
            if name == "request":
                return
            if name in self.direct:
                yield requester, name, self.direct[name], via
                return
            defs = self.fixturedefs(name)
            index = -1 - chain.count(name)
            if not defs or -index > len(defs):
                return
            fixturedef = defs[index]
            yield requester, name, fixturedef, via
            counts = Counter(n for n in chain + (name,) if len(self.fixturedefs(n)) > 1)
            key = (id(fixturedef), frozenset(counts.items()))
            if key in visited or fixturedef.fact is None:
                return
            visited.add(key)
            for argname in fixturedef.fact.argnames:
                yield from visit(argname, fixturedef, chain + (name,), "argument")
            for argname in fixturedef.fact.getfixturevalue:
                yield from visit(argname, fixturedef, chain + (name,), "getfixturevalue")

        for name in self.initial_names():
            yield from visit(name, None, (), "argument")
        for name in self.test.function.getfixturevalue:
            yield from visit(name, None, (), "getfixturevalue")


def handled_by_asyncio(flavour: str, is_async: bool, asyncio_mode: str) -> bool:
    return flavour == "pytest_asyncio" or (asyncio_mode == "auto" and is_async)


def fixture_loop_scope(fixturedef: FixtureDef, default: Optional[str], scope_of: ScopeOf) -> Optional[Scope]:
    """``loop_scope=``, else ``asyncio_default_fixture_loop_scope``, else the fixture's own scope."""
    fact = fixturedef.fact
    if fact is not None and fact.loop_scope is not None:
        return Scope.parse(fact.loop_scope.literal) if fact.loop_scope.literal else None
    if default and default != MATCH_FIXTURE_SCOPE:
        return Scope.parse(default)
    return scope_of(fixturedef)
