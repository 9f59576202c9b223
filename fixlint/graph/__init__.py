"""``fixlint graph``: the fixture graph as one test, one fixture or one folder sees it, drawn from
the model the fixture rules use, red where they report an error pytest raises.

``model.py`` builds the graph, ``layout.py`` lays it out where Graphviz is not installed,
``render.py`` writes it as DOT, SVG, JSON or HTML.

The JSON (``--format json``), sorted so that the same tree always gives the same text::

    {
      "focus": "test" | "fixture" | "folder",
      "subject": str,              # the test's node id, the fixture's name, or the paths
      "nodes": [{                  # sorted by id
        "id": str,                 # "<path>:<line>:<name>" for a fixture defined in the tree,
                                   # "plugin:<name>", "param:<name>", "missing:<name>", "test:<node id>"
        "kind": "fixture" | "plugin" | "param" | "missing" | "test",
        "name": str,
        "scope": "function" | "class" | "module" | "package" | "session" | "dynamic" | null,
        "loop_scope": str | null,  # the event loop pytest-asyncio runs it in; null: not run by it
        "path": str | null,        # relative to the working folder
        "line": int | null,        # of its first decorator
        "autouse": bool,
        "tests": int               # tests of the graph whose set-up uses it
      }],
      "edges": [{                  # sorted by source, target, kind
        "source": str, "target": str,   # node ids
        "kind": "argument" | "getfixturevalue" | "usefixtures" | "autouse" | "parametrize" | "loop"
              | "overrides",       # overrides: source is the definition that overrides target
        "rule": str | null,        # the rule that reports the error this request makes
        "error": str | null,       # its message, as `fixlint check` prints it
        "tests": int               # tests that make the request (0 for overrides)
      }]
    }
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

from fixlint.engine.check import Engine
from fixlint.errors import ConfigError
from fixlint.files.display import display_path, shown_in_message
from fixlint.findings import Finding
from fixlint.graph.model import (
    ERROR_RULES,
    FixtureGraph,
    around_error,
    around_fixture,
    find_test,
    fixture_names,
    graph_of_folder,
    graph_of_test,
)
from fixlint.graph.render import graph_figure
from fixlint.pytest_model.analysis import project_analysis
from fixlint.pytest_model.project import Project


@dataclass
class Drawn:
    project: Project
    findings: list[Finding]  # the error rules' findings over the whole project
    files: list[Path]  # the files named, and those found in the folders named


def load(engine: Engine, targets: Sequence[Path]) -> Drawn:
    """The project of ``targets`` and the findings of the engine's rules (the error rules)."""
    loaded = engine.load(targets)
    rules = [rule for rule in engine.rules if rule.name in ERROR_RULES]
    # Messages as `check` prints them: the paths they cite shown from the working folder.
    findings = [
        replace(finding, message=shown_in_message(finding.message, engine.cwd))
        for rule in rules
        for finding in rule.check_project(loaded.project)
    ]
    return Drawn(loaded.project, findings, loaded.reported)


def draw(
    drawn: Drawn, cwd: Path, subject: str, nodeid: Optional[str] = None, fixture: Optional[str] = None
) -> FixtureGraph:
    project = drawn.project
    if nodeid is not None:
        found = find_test(project.tests(), nodeid)
        if isinstance(found, list):
            hint = f"; did you mean {' or '.join(found)}?" if found else ""
            raise ConfigError(f"--test {nodeid}: no such test under {subject}{hint}")
        return graph_of_test(project, found, drawn.findings, cwd)
    graph = graph_of_folder(project, project_analysis(project), drawn.findings, drawn.files, cwd, subject)
    if fixture is None:
        return graph
    if fixture not in fixture_names(graph):
        near = difflib.get_close_matches(fixture, fixture_names(graph), n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(near)}?" if near else ""
        raise ConfigError(f"--fixture {fixture}: no fixture of that name in the graph of {subject}{hint}")
    return around_fixture(graph, fixture)


FIGURES_PER_FILE = 10  # a conftest may hold dozens of conflicts: the first ones show the way


def conflict_figures(engine: Engine, findings: Sequence[Finding], cwd: Path, layout: str) -> dict[str, list[str]]:
    """For ``fixlint report --format html``: by a finding's path as shown, an HTML figure per error
    finding of pytest's that names a test: the fixture graph of its first test, cut to the way
    from the test to the request that fails."""
    conflicts = [finding for finding in findings if finding.rule in ERROR_RULES and finding.data.get("tests")]
    if not conflicts:
        return {}
    # Only the files the conflicts are about, and their tests' modules: a run on named files
    # models them as the folder's run does, and reading the whole suite again would double
    # the report's time.
    needed = {Path(finding.path) for finding in conflicts} | {Path(path) for f in conflicts for path in f.concerns}
    drawn = load(engine, sorted(needed))
    # The same request's finding as this partial read words it (its hints name less of the tree).
    worded = {_request(finding): finding.message for finding in drawn.findings}
    tests = drawn.project.tests()
    figures: dict[str, list[str]] = {}
    for finding in conflicts:
        shown = figures.setdefault(display_path(finding.path, cwd), [])
        if len(shown) >= FIGURES_PER_FILE:
            continue
        test = find_test(tests, finding.data["tests"][0])
        if isinstance(test, list):
            continue
        graph = graph_of_test(drawn.project, test, drawn.findings, cwd)
        message = worded.get(_request(finding))
        error = next((e for e in graph.errors if e.rule == finding.rule and e.error == message), None)
        if error is not None:
            caption = f"{finding.rule} at line {finding.line}, as {test.nodeid} sets it up"
            shown.append(graph_figure(around_error(graph, error), layout, caption))
    return {path: shown for path, shown in figures.items() if shown}


def _request(finding: Finding) -> tuple:
    """What makes an error finding one: its rule, where it stands, the request it is about."""
    data = finding.data
    return (finding.rule, finding.path, finding.line, *(data.get(key) for key in _REQUEST_KEYS))


_REQUEST_KEYS = ("requested", "via", "requested_path", "requested_line")
