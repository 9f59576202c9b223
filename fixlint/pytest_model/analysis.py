"""Requests made by every test of the project, gathered once and shared by the rules."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Optional

from fixlint.pytest_model.closure import (
    DirectParam,
    FailedLookup,
    Request,
    Requested,
    RequestFields,
    ScopeOf,
    TestView,
    declared_scope,
)
from fixlint.pytest_model.fixturedefs import FixtureDef
from fixlint.pytest_model.project import Project, TestItem, ViewStore
from fixlint.pytest_model.stored_views import ViewRequests, decode_views, encode_views, module_key


@dataclass
class RequestGroup:
    """One edge (requester -> requested, by a given way, at given scopes) and the tests that make it."""

    request: Request
    tests: list[TestItem] = field(default_factory=list)


@dataclass
class FailedGroup:
    """One request pytest cannot resolve (a fixture's, or a test's own when ``requester`` is
    None) and the tests whose set-up makes it."""

    requester: Optional[FixtureDef]
    lookup: FailedLookup
    via: str
    tests: list[TestItem] = field(default_factory=list)


@dataclass
class Analysis:
    groups: dict[tuple, RequestGroup]
    users: dict[int, list[TestItem]]  # id(FixtureFact) -> tests that set it up
    failing_tests: set[str]  # node ids of tests that hit a scope mismatch
    failed: dict[tuple, FailedGroup] = field(default_factory=dict)

    def mismatches(self, via: Optional[set[str]] = None) -> list[RequestGroup]:
        return [
            group
            for group in self.groups.values()
            if group.request.is_mismatch and (via is None or group.request.via in via)
        ]

    def undecided(self) -> list[RequestGroup]:
        return [group for group in self.groups.values() if group.request.is_undecided]


def analyse(
    project: Project, scope_of: ScopeOf = declared_scope, tests: Optional[Iterable[TestItem]] = None
) -> Analysis:
    """``tests``: only these (after a change, the tests that use what changed); default: all,
    each module's answer taken from ``project.views`` when nothing it depends on changed."""
    groups: dict[tuple, RequestGroup] = {}
    users: dict[int, list[TestItem]] = {}
    failing: set[str] = set()
    failed: dict[tuple, FailedGroup] = {}
    store = project.views if tests is None and scope_of is declared_scope else None
    modules = list(_by_module(project.tests() if tests is None else tests))
    for done, module_tests in enumerate(modules):
        if tests is None:
            project.progress(done, len(modules))
        views = _module_views(project, module_tests, scope_of, store)
        made_of_view: dict[int, list[RequestGroup]] = {}  # tests that share a view share its groups
        for test, view in zip(module_tests, views):
            made = made_of_view.get(id(view))
            if made is None:
                made = made_of_view[id(view)] = _groups_of(view.requests, groups)
            for fixturedef in view.used:
                users.setdefault(id(fixturedef.fact), []).append(test)
            for group in made:
                group.tests.append(test)
                if group.request.is_mismatch:
                    failing.add(test.nodeid)
            for requester, lookup, via in view.failed:
                # A test's own request is grouped by its function: a finding per test function.
                key = (id(requester) if requester is not None else ("test", id(test.function)), lookup, via)
                group_of = failed.get(key)
                if group_of is None:
                    group_of = failed[key] = FailedGroup(requester, lookup, via)
                group_of.tests.append(test)
    return Analysis(groups, users, failing, failed)


def _by_module(tests: Iterable[TestItem]) -> Iterator[list[TestItem]]:
    """Runs of tests of one module (``Project.tests`` lists a module's tests together)."""
    run: list[TestItem] = []
    for test in tests:
        if run and test.file is not run[0].file:
            yield run
            run = []
        run.append(test)
    if run:
        yield run


def _module_views(
    project: Project, tests: list[TestItem], scope_of: ScopeOf, store: Optional[ViewStore]
) -> list[ViewRequests]:
    """One ViewRequests per test of a module. Tests that see the same fixtures the same way make
    the same requests: one view for them all. Their chains end in their module's holder, so only
    tests of one module can share."""
    key = module_key(project, tests) if store is not None else None
    stored = store.get(key) if store is not None and key is not None else None
    if stored is not None:
        try:
            return decode_views(stored, tests)
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            pass  # a corrupt or foreign entry: analysed again and rewritten
    seen: dict[tuple, ViewRequests] = {}
    views = []
    for test in tests:
        key_of_view = view_key(test)
        view = seen.get(key_of_view)
        if view is None:
            made = TestView(project, test, scope_of)
            used = [fixturedef for fixturedef in made.used_defs() if fixturedef.fact is not None]
            view = seen[key_of_view] = ViewRequests(used, list(made.requests()), made.setup_failures())
        views.append(view)
    if store is not None and key is not None:
        encoded = encode_views(views, tests)
        if encoded is not None:
            store.put(key, encoded)
    return views


def _groups_of(requests: list[RequestFields], groups: dict[tuple, RequestGroup]) -> list[RequestGroup]:
    """The group of each request, in order (new groups are added to ``groups``)."""
    made = []
    for requester, requester_scope, requested, requested_scope, via in requests:
        # Scopes belong in the key: a parametrization can change them for some tests only.
        key = (id(requester), request_target_key(requested), via, requester_scope, requested_scope)
        group = groups.get(key)
        if group is None:
            # A Request only per group: the tests of a group make the same one.
            group = groups[key] = RequestGroup(Request(requester, requester_scope, requested, requested_scope, via))
        made.append(group)
    return made


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


def request_target_key(requested: Requested) -> object:
    """Direct parametrizations are made per test; group them by the mark that makes them."""
    if isinstance(requested, DirectParam):
        return ("direct", requested.name, id(requested.mark))
    return id(requested)


def project_analysis(project: Project) -> Analysis:
    if project.analysis is None:
        with project.stopwatch.timing("fixture analysis"):
            project.analysis = analyse(project)
    return project.analysis
