"""Requests made by every test of the project, gathered once and shared by the rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional

from fixlint.project import Project, TestItem
from fixlint.pytest_model.closure import DirectParam, Request, Requested, ScopeOf, TestView, declared_scope


@dataclass
class RequestGroup:
    """One edge (requester -> requested, by a given way, at given scopes) and the tests that make it."""

    request: Request
    tests: list[TestItem] = field(default_factory=list)


@dataclass
class Analysis:
    groups: dict[tuple, RequestGroup]
    users: dict[int, list[TestItem]]  # id(FixtureFact) -> tests that set it up
    failing_tests: set[str]  # node ids of tests that hit a scope mismatch

    def mismatches(self, via: Optional[set[str]] = None) -> list[RequestGroup]:
        return [
            group
            for group in self.groups.values()
            if group.request.is_mismatch and (via is None or group.request.via in via)
        ]

    def undecided(self) -> list[RequestGroup]:
        return [group for group in self.groups.values() if group.request.is_undecided]


def analyse(project: Project, scope_of: ScopeOf = declared_scope, tests: Optional[Iterable[TestItem]] = None) -> Analysis:
    """``tests``: only these (after a change, the tests that use what changed); default: all."""
    groups: dict[tuple, RequestGroup] = {}
    users: dict[int, list[TestItem]] = {}
    failing: set[str] = set()
    # Tests that see the same fixtures the same way make the same requests: one view for them
    # all. Their chains end in their module's holder, so only tests of one module can share.
    seen: dict[tuple, tuple[list[int], list[RequestGroup]]] = {}
    module = None
    for test in project.tests() if tests is None else tests:
        if test.file is not module:
            module, seen = test.file, {}
        key = view_key(test)
        made = seen.get(key)
        if made is None:
            made = seen[key] = _requests_of(TestView(project, test, scope_of), groups)
        used, made_groups = made
        for fact_id in used:
            users.setdefault(fact_id, []).append(test)
        for group in made_groups:
            group.tests.append(test)
            if group.request.is_mismatch:
                failing.add(test.nodeid)
    return Analysis(groups, users, failing)


def view_key(test: TestItem) -> tuple:
    """All a TestView reads of its test: tests with equal keys have equal views. A parametrize
    mark counts by identity, as its direct parametrizations are grouped (``request_target_key``)."""
    function = test.function
    return (
        tuple(map(id, test.chain)),
        test.base,
        test.config,
        tuple(function.argnames),
        tuple(function.getfixturevalue),
        tuple((tuple(marks.usefixtures), tuple(map(id, marks.parametrize))) for marks in test.marks()),
    )


def _requests_of(view: TestView, groups: dict[tuple, RequestGroup]) -> tuple[list[int], list[RequestGroup]]:
    """The facts of the fixtures a view sets up, and the group of each request it makes, in the
    order it makes them (new groups are added to ``groups``)."""
    used = [id(fixturedef.fact) for fixturedef in view.used_defs() if fixturedef.fact is not None]
    made = []
    for requester, requester_scope, requested, requested_scope, via in view.requests():
        # Scopes belong in the key: a parametrization can change them for some tests only.
        key = (id(requester), request_target_key(requested), via, requester_scope, requested_scope)
        group = groups.get(key)
        if group is None:
            # A Request only per group: the tests of a group make the same one.
            group = groups[key] = RequestGroup(Request(requester, requester_scope, requested, requested_scope, via))
        made.append(group)
    return used, made


def request_target_key(requested: Requested) -> object:
    """Direct parametrizations are made per test; group them by the mark that makes them."""
    if isinstance(requested, DirectParam):
        return ("direct", requested.name, id(requested.mark))
    return id(requested)


def project_analysis(project: Project) -> Analysis:
    if "analysis" not in project.derived:
        project.derived["analysis"] = analyse(project)
    return project.derived["analysis"]  # type: ignore[return-value]

