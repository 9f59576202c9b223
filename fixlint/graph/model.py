"""The fixture graph of one test, of the fixtures around one name, or of a folder's tests, read
from the model the fixture rules use (``Project``, ``TestView``, ``Analysis``), its errors taken
from those rules' findings, so that the graph is red exactly where ``fixlint check`` reports.

A graph is plain data, sorted (node ids, then edges by source, target, kind): ``as_json`` is its
JSON form, documented in ``fixlint/graph/__init__.py``."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Optional, Union

from fixlint.files.display import display_path
from fixlint.findings import Finding
from fixlint.pytest_model.analysis import Analysis
from fixlint.pytest_model.builtins import BUILTIN_REQUESTS
from fixlint.pytest_model.closure import (
    DirectParam,
    FailedLookup,
    TestView,
    declared_scope,
    fixture_loop_scope,
    handled_by_asyncio,
    resolution,
)
from fixlint.pytest_model.fixturedefs import FixtureDef, Holder
from fixlint.pytest_model.project import Project, TestItem

# The rules whose findings are errors pytest raises on an edge of the graph.
ERROR_RULES = ("fixture-scope-mismatch", "fixture-loop-scope", "fixture-cycle", "fixture-not-found")
# How a test's own request of a name comes about, in the order ``_initial_names`` reads them.
INITIAL_KINDS = ("argument", "parametrize", "usefixtures", "autouse")


@dataclass(frozen=True)
class Node:
    id: str
    kind: str  # "fixture", "plugin" (pytest's or a plugin's own), "param", "missing", "test"
    name: str
    scope: Optional[str]  # "function" ... "session"; "dynamic" where fixlint cannot tell it
    loop_scope: Optional[str] = None  # the event loop pytest-asyncio runs it in
    path: Optional[str] = None  # relative to the working folder
    line: Optional[int] = None
    autouse: bool = False
    tests: int = 0  # the tests of the graph whose set-up uses it


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str  # a request: "argument", "getfixturevalue", "usefixtures", "autouse", "parametrize",
    # "loop" (pytest-asyncio's runner); or "overrides": source is the definition that overrides target
    rule: Optional[str] = None  # the rule that reports the error this request makes
    error: Optional[str] = None  # its message
    tests: int = 0  # the tests of the graph that make the request


@dataclass
class FixtureGraph:
    focus: str  # "test", "fixture" or "folder"
    subject: str  # the node id, fixture name or paths
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    @property
    def errors(self) -> list[Edge]:
        return [edge for edge in self.edges if edge.error]

    def as_json(self) -> dict[str, Any]:
        return {
            "focus": self.focus,
            "subject": self.subject,
            "nodes": [asdict(node) for node in self.nodes],
            "edges": [asdict(edge) for edge in self.edges],
        }


class Errors:
    """The error findings, by the request they are about."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self._found: dict[tuple, list[Finding]] = {}
        for finding in findings:
            data = finding.data
            if finding.rule == "fixture-scope-mismatch":
                key: tuple = (finding.rule, finding.path, finding.line, data["requested"], data["via"])
                key += (data["requested_path"], data["requested_line"])
            elif finding.rule == "fixture-loop-scope" and data.get("kind") == "loop-narrower-than-scope":
                key = (finding.rule, finding.path, finding.line)
            elif finding.rule in ("fixture-cycle", "fixture-not-found"):
                key = (finding.rule, finding.path, finding.line, data["requested"])
            else:
                continue
            self._found.setdefault(key, []).append(finding)

    def find(self, key: tuple, tests: Sequence[str]) -> Optional[Finding]:
        """The finding about a request, made by one of ``tests`` (a finding names the tests it hits)."""
        for finding in self._found.get(key, ()):
            hit = finding.data.get("tests") or ()
            if not hit or not set(hit).isdisjoint(tests):
                return finding
        return None


class GraphBuilder:
    """Nodes by the definition, test or name they stand for, and edges, each once."""

    def __init__(self, project: Project, errors: Errors, cwd: Path) -> None:
        self.project = project
        self.errors = errors
        self.cwd = cwd
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, str, str], Edge] = {}
        self.defs: dict[str, FixtureDef] = {}  # fixture node id -> its definition
        self.users: dict[str, set[str]] = {}  # node id -> node ids of the tests that use it

    # -- nodes -------------------------------------------------------------------------------
    def fixture(self, fixturedef: FixtureDef) -> str:
        fact = fixturedef.fact
        if fact is None:
            node_id = f"plugin:{fixturedef.name}"
        else:
            node_id = f"{display_path(fixturedef.path, self.cwd)}:{fact.line}:{fixturedef.name}"
        if node_id not in self.nodes:
            self.defs[node_id] = fixturedef
            self.nodes[node_id] = self._fixture_node(node_id, fixturedef)
        return node_id

    def _fixture_node(self, node_id: str, fixturedef: FixtureDef) -> Node:
        fact = fixturedef.fact
        scope = fixturedef.declared_scope
        scope_name = scope.value if scope is not None else "dynamic"
        if fact is None:
            return Node(node_id, "plugin", fixturedef.name, scope_name)
        file = self.project.files.get(Path(fixturedef.path))
        loop = None
        if file is not None and handled_by_asyncio(fact.flavour, fact.is_async, file.config.asyncio_mode):
            default = file.config.asyncio_default_fixture_loop_scope
            loop_scope = fixture_loop_scope(fixturedef, default, declared_scope)
            loop = loop_scope.value if loop_scope is not None else "dynamic"
        path = display_path(fixturedef.path, self.cwd)
        return Node(node_id, "fixture", fixturedef.name, scope_name, loop, path, fact.line, fact.autouse)

    def test(self, test: TestItem) -> str:
        node_id = f"test:{test.nodeid}"
        if node_id not in self.nodes:
            function = test.function
            path = display_path(str(test.file.path), self.cwd)
            self.nodes[node_id] = Node(node_id, "test", test.nodeid, "function", None, path, function.line, tests=1)
        return node_id

    def param(self, param: DirectParam) -> str:
        node_id = f"param:{param.name}"
        self.nodes.setdefault(node_id, Node(node_id, "param", param.name, param.scope.value))
        return node_id

    def missing(self, name: str) -> str:
        node_id = f"missing:{name}"
        self.nodes.setdefault(node_id, Node(node_id, "missing", name, None))
        return node_id

    def edge(self, source: str, target: str, kind: str, finding: Optional[Finding] = None, tests: int = 0) -> None:
        """An edge, once: the tests of requests drawn as one add up, and an error stays."""
        key = (source, target, kind)
        known = self.edges.get(key)
        if known is not None:
            tests += known.tests
            if known.error:
                self.edges[key] = replace(known, tests=tests)
                return
        rule, error = (finding.rule, finding.message) if finding is not None else (None, None)
        self.edges[key] = Edge(source, target, kind, rule, error, tests)

    def use(self, node_id: str, tests: Iterable[str]) -> None:
        self.users.setdefault(node_id, set()).update(tests)

    # -- errors --------------------------------------------------------------------------------
    def mismatch(
        self, requester: FixtureDef, requested: Union[FixtureDef, DirectParam], via: str, tests: Sequence[str]
    ):
        assert requester.fact is not None
        if isinstance(requested, DirectParam) or requested.fact is None:
            where: tuple = (None, None)
        else:
            where = (requested.path, requested.fact.line)
        key = ("fixture-scope-mismatch", requester.path, requester.fact.line, requested.name, via, *where)
        return self.errors.find(key, tests)

    def failure(self, rule: str, path: str, line: int, name: str, tests: Sequence[str]) -> Optional[Finding]:
        return self.errors.find((rule, path, line, name), tests)

    def loop(self, requester: FixtureDef, tests: Sequence[str]) -> Optional[Finding]:
        assert requester.fact is not None
        return self.errors.find(("fixture-loop-scope", requester.path, requester.fact.line), tests)

    # -- overrides ------------------------------------------------------------------------------
    def overrides(self, chains: Iterable[tuple[Holder, ...]]) -> None:
        """For the names of the graph's fixtures: each definition a chain sees overrides the one
        before it (the outer one, or the earlier in a holder)."""
        names = {node.name for node in self.nodes.values() if node.kind in ("fixture", "plugin")}
        for chain in chains:
            for name in names:
                defs = [fixturedef for holder in chain for fixturedef in holder.defs.get(name, ())]
                for outer, inner in zip(defs, defs[1:]):
                    if self._known(outer) or self._known(inner):
                        self.edge(self.fixture(inner), self.fixture(outer), "overrides")

    def builtin_requests(self, defs_for: Callable[[list[str]], Callable[[str], Sequence[FixtureDef]]]) -> None:
        """What pytest's and the plugins' own fixtures request (``BUILTIN_REQUESTS``), drawn to the
        definition their tests see (``defs_for(test ids)``: a conftest may override it)."""
        pending = [node_id for node_id, node in self.nodes.items() if node.kind == "plugin"]
        while pending:
            node_id = pending.pop()
            users = sorted(self.users.get(node_id, ()))
            requested_names = BUILTIN_REQUESTS.get(self.nodes[node_id].name, ())
            if not users or not requested_names:
                continue
            defs_of = defs_for(users)
            for requested in requested_names:
                defs = defs_of(requested)
                if not defs:
                    continue
                known = len(self.nodes)
                target = self.fixture(defs[-1])
                self.use(target, users)
                self.edge(node_id, target, "argument", tests=len(users))
                if len(self.nodes) > known and self.nodes[target].kind == "plugin":
                    pending.append(target)

    def _known(self, fixturedef: FixtureDef) -> bool:
        fact = fixturedef.fact
        if fact is None:
            return f"plugin:{fixturedef.name}" in self.nodes
        return f"{display_path(fixturedef.path, self.cwd)}:{fact.line}:{fixturedef.name}" in self.nodes

    def graph(self, focus: str, subject: str) -> FixtureGraph:
        nodes = []
        for node_id in sorted(self.nodes):
            node = self.nodes[node_id]
            if node.kind != "test":
                node = replace(node, tests=len(self.users.get(node_id, ())))
            nodes.append(node)
        edges = sorted(self.edges.values(), key=lambda edge: (edge.source, edge.target, edge.kind))
        return FixtureGraph(focus, subject, nodes, edges)


def graph_of_test(project: Project, test: TestItem, findings: Iterable[Finding], cwd: Path) -> FixtureGraph:
    """What pytest sets up for one test: every request, the overrides of the names it meets, and
    the requests that fail."""
    builder = GraphBuilder(project, Errors(findings), cwd)
    view = TestView(project, test)
    tests = [test.nodeid]
    start = builder.test(test)
    kinds = _initial_kinds(view)
    for requester, name, target, via in view.edges:
        source = start if requester is None else builder.fixture(requester)
        requested = view.direct[target] if isinstance(target, str) else target
        destination = builder.param(requested) if isinstance(requested, DirectParam) else builder.fixture(requested)
        builder.use(destination, tests)
        if requester is None:
            builder.edge(source, destination, kinds.get(name, via))
            continue
        # A test's requests share groups with other tests': the finding names this test when it fails.
        builder.edge(source, destination, via, builder.mismatch(requester, requested, via, tests))
    for requester, _, runner, _, via in view.requests():
        if via == "loop" and isinstance(runner, FixtureDef):
            finding = builder.loop(requester, tests)
            if finding is not None:
                builder.use(builder.fixture(runner), tests)
                builder.edge(builder.fixture(requester), builder.fixture(runner), via, finding)
    for requester, lookup, via in view.setup_failures():
        _failure(builder, view, test, requester, lookup, via, start, tests)
    builder.builtin_requests(lambda users: view.fixturedefs)
    builder.overrides([test.chain])
    return builder.graph("test", test.nodeid)


def _initial_kinds(view: TestView) -> dict[str, str]:
    """How the test comes to request each of its initial names."""
    test = view.test
    marks = list(test.marks())
    sources = {
        "argument": set(test.function.argnames) | set(test.function.getfixturevalue),
        "parametrize": {name for mark in marks for param in mark.parametrize for name in param.argnames},
        "usefixtures": {*test.config.usefixtures, *(name for mark in marks for name in mark.usefixtures)},
        "autouse": {name for holder in test.chain for name in holder.autouse},
    }
    kinds: dict[str, str] = dict.fromkeys(view.direct, "parametrize")
    for kind in INITIAL_KINDS:
        for name in sources[kind]:
            kinds.setdefault(name, kind)
    for name in test.function.getfixturevalue:
        if name not in test.function.argnames:
            kinds[name] = "getfixturevalue"
    return kinds


def _failure(
    builder: GraphBuilder,
    view: TestView,
    test: TestItem,
    requester: Optional[FixtureDef],
    lookup: FailedLookup,
    via: str,
    start: str,
    tests: Sequence[str],
) -> None:
    """A request pytest cannot resolve: to the definition already being set up (a cycle), or to
    the name no fixture provides."""
    if requester is None:
        source, path, line = start, str(test.file.path), test.function.line
    elif requester.fact is not None:
        source, path, line = builder.fixture(requester), requester.path, requester.fact.line
    else:
        return
    if lookup.defined:
        defs = view.fixturedefs(lookup.name)
        destination = builder.fixture(defs[-1])
        finding = builder.failure("fixture-cycle", path, line, lookup.name, tests)
    else:
        destination = builder.missing(lookup.name)
        finding = builder.failure("fixture-not-found", path, line, lookup.name, tests)
    builder.use(destination, tests)
    builder.edge(source, destination, via, finding)


def graph_of_folder(
    project: Project,
    analysis: Analysis,
    findings: Iterable[Finding],
    files: Sequence[Path],
    cwd: Path,
    subject: str,
) -> FixtureGraph:
    """The fixtures the tests of ``files`` set up and those ``files`` define, every request a
    fixture makes for them (the tests are left out, but for those whose own request fails; so are
    requests pytest makes fine through pytest-asyncio's runner: the loop scope is on the node),
    and the overrides of the names met."""
    builder = GraphBuilder(project, Errors(findings), cwd)
    named = set(files)
    in_graph = [test for test in project.tests() if test.file.path in named]
    chosen = {test.nodeid for test in in_graph}
    for path in sorted(named):
        source_file = project.files.get(path)
        if source_file is not None:
            for fact in source_file.facts.fixtures:
                builder.fixture(project.fixture_def(source_file, fact))
    by_fact: dict[int, FixtureDef] = {}
    for file, fact in project.fixture_facts():
        by_fact.setdefault(id(fact), project.fixture_def(file, fact))
    for fact_id, users in analysis.users.items():
        used_by = {test.nodeid for test in users if test.nodeid in chosen}
        if used_by and fact_id in by_fact:
            builder.use(builder.fixture(by_fact[fact_id]), used_by)
    for group in analysis.groups.values():
        nodeids = sorted({test.nodeid for test in group.tests if test.nodeid in chosen})
        if not nodeids:
            continue
        request = group.request
        source = builder.fixture(request.requester)
        requested = request.requested
        if request.via == "loop":
            finding = builder.loop(request.requester, nodeids) if request.is_mismatch else None
            if finding is not None and isinstance(requested, FixtureDef):
                runner = builder.fixture(requested)
                builder.use(runner, nodeids)
                builder.edge(source, runner, "loop", finding, len(nodeids))
            continue
        destination = builder.param(requested) if isinstance(requested, DirectParam) else builder.fixture(requested)
        builder.use(destination, nodeids)
        finding = builder.mismatch(request.requester, requested, request.via, nodeids)
        builder.edge(source, destination, request.via, finding, len(nodeids))
    for failed in analysis.failed.values():
        hit = [test for test in failed.tests if test.nodeid in chosen]
        if not hit:
            continue
        first = min(hit, key=lambda test: test.nodeid)
        view_defs = resolution(project, first, frozenset()).defs
        nodeids = sorted(test.nodeid for test in hit)
        requester = failed.requester
        if requester is None:
            for test in hit:  # a test's own request: drawn from the test
                _own_failure(builder, test, failed.lookup, failed.via, view_defs)
            continue
        if requester.fact is None:
            continue
        source = builder.fixture(requester)
        if failed.lookup.defined:
            destination = builder.fixture(view_defs(failed.lookup.name)[-1])
            rule = "fixture-cycle"
        else:
            destination, rule = builder.missing(failed.lookup.name), "fixture-not-found"
        finding = builder.failure(rule, requester.path, requester.fact.line, failed.lookup.name, nodeids)
        builder.edge(source, destination, failed.via, finding, len(nodeids))
    by_nodeid = {test.nodeid: test for test in in_graph}
    builder.builtin_requests(lambda users: resolution(project, by_nodeid[users[0]], frozenset()).defs)
    builder.overrides({tuple(map(id, test.chain)): test.chain for test in in_graph}.values())
    return builder.graph("folder", subject)


def _own_failure(builder: GraphBuilder, test: TestItem, lookup: FailedLookup, via: str, defs_of) -> None:
    start = builder.test(test)
    path, line = str(test.file.path), test.function.line
    if lookup.defined:
        destination, rule = builder.fixture(defs_of(lookup.name)[-1]), "fixture-cycle"
    else:
        destination, rule = builder.missing(lookup.name), "fixture-not-found"
    builder.edge(start, destination, via, builder.failure(rule, path, line, lookup.name, [test.nodeid]), 1)


def around_fixture(graph: FixtureGraph, name: str) -> FixtureGraph:
    """The part of a folder graph around the definitions of ``name``: what requests them, what
    they request, each transitively, and the definitions they override or are overridden by."""
    seeds = {node.id for node in graph.nodes if node.name == name and node.kind in ("fixture", "plugin")}
    following: dict[str, list[str]] = {}
    preceding: dict[str, list[str]] = {}
    for edge in graph.edges:
        if edge.kind != "overrides":
            following.setdefault(edge.source, []).append(edge.target)
            preceding.setdefault(edge.target, []).append(edge.source)
    keep = set(seeds)
    for neighbours in (following, preceding):
        pending = list(seeds)
        reached = set(seeds)
        while pending:
            for other in neighbours.get(pending.pop(), ()):
                if other not in reached:
                    reached.add(other)
                    pending.append(other)
        keep |= reached
    overrides = [
        edge for edge in graph.edges if edge.kind == "overrides" and (edge.source in keep or edge.target in keep)
    ]
    keep |= {end for edge in overrides for end in (edge.source, edge.target)}
    return FixtureGraph(
        "fixture",
        name,
        [node for node in graph.nodes if node.id in keep],
        [edge for edge in graph.edges if edge.source in keep and edge.target in keep],
    )


def around_error(graph: FixtureGraph, error: Edge) -> FixtureGraph:
    """The part of a test's graph that leads to one error: the requests from the test to the
    request that fails, its two ends, and the overrides between them."""
    preceding: dict[str, list[str]] = {}
    for edge in graph.edges:
        if edge.kind != "overrides":
            preceding.setdefault(edge.target, []).append(edge.source)
    keep = {error.source, error.target}
    pending = [error.source]
    while pending:
        for other in preceding.get(pending.pop(), ()):
            if other not in keep:
                keep.add(other)
                pending.append(other)
    nodes = [node for node in graph.nodes if node.id in keep]
    edges = [edge for edge in graph.edges if edge.source in keep and edge.target in keep]
    # Only the path to the error: the other requests of its ends lead elsewhere.
    edges = [edge for edge in edges if edge.target != error.target or edge == error or edge.kind == "overrides"]
    return FixtureGraph("conflict", graph.subject, nodes, edges)


def fixture_names(graph: FixtureGraph) -> list[str]:
    return sorted({node.name for node in graph.nodes if node.kind in ("fixture", "plugin")})


def find_test(tests: Sequence[TestItem], nodeid: str) -> Union[TestItem, list[str]]:
    """The test of a node id as pytest prints it (parameters are one test here), or the nearest ids."""
    wanted = re.sub(r"\[[^\]]*\]$", "", nodeid.replace("\\", "/"))
    for test in tests:
        if test.nodeid == wanted or wanted.endswith("/" + test.nodeid) or test.nodeid.endswith("/" + wanted):
            return test
    return difflib.get_close_matches(wanted, [test.nodeid for test in tests], n=3, cutoff=0.6)
