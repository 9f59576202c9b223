"""``fixlint graph`` through the real CLI: a test's graph agrees with what pytest sets up for it
(``--setup-plan``, ``--fixtures-per-test``), its red edges are ``fixlint check``'s errors, DOT that
Graphviz reads, SVG that is XML with a node per fixture from either layout, the same text every
run, and the HTML view (alone, and in the report) shown by a real Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path

import pytest

from fixlint.pytest_model.builtins import BUILTIN_FIXTURES, BUILTIN_REQUESTS, PLUGIN_FIXTURES

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DOT = shutil.which("dot")
SVG = "{http://www.w3.org/2000/svg}"
LAYOUTS = ["python", pytest.param("dot", marks=pytest.mark.skipif(DOT is None, reason="Graphviz is not installed"))]

# pytest-asyncio is off: its autouse session fixture would be in every plan.
PYTEST_INI = "[pytest]\naddopts = -p no:asyncio -p no:cacheprovider\n"
CONFTEST = """import pytest


@pytest.fixture(scope="session")
def database():
    return "db"


@pytest.fixture
def user(database):
    return "conftest user"


@pytest.fixture(autouse=True)
def clean():
    yield
"""
# An override that requests what it overrides, a parametrized module fixture, a direct
# parametrization, usefixtures of pytest's own fixture, a class fixture.
TEST_APP = """import pytest


@pytest.fixture
def user(user):
    return user + "!"


@pytest.fixture(scope="module", params=[1, 2])
def mode(request):
    return request.param


@pytest.mark.parametrize("n", [1])
@pytest.mark.usefixtures("monkeypatch")
def test_user(user, mode, n):
    assert user.endswith("!")


class TestAccount:
    @pytest.fixture(scope="class")
    def account(self, database):
        return database

    def test_account(self, account, user):
        assert account
"""
ERRORS_CONFTEST = """import pytest


@pytest.fixture(scope="session")
def app(db):
    return db


@pytest.fixture
def db():
    return 1


@pytest.fixture
def left(right):
    return right


@pytest.fixture
def right(left):
    return left
"""
ERRORS_TESTS = """def test_mismatch(app):
    assert app


def test_cycle(left):
    assert left


def test_missing(nothing_provides_this):
    assert nothing_provides_this
"""


def make_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def app_tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path / "app", {"pytest.ini": PYTEST_INI, "conftest.py": CONFTEST, "test_app.py": TEST_APP})


@pytest.fixture
def errors_tree(tmp_path: Path) -> Path:
    files = {"pytest.ini": PYTEST_INI, "conftest.py": ERRORS_CONFTEST, "test_errors.py": ERRORS_TESTS}
    return make_tree(tmp_path / "errors", files)


def graph_json(run_fixlint, root: Path, *args: str) -> dict:
    result = run_fixlint(root, "graph", *args, "--format", "json", "--no-cache")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def pytest_output(root: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *args], cwd=root, capture_output=True, text=True, timeout=120
    )
    return done.stdout


@pytest.mark.parametrize("nodeid", ["test_app.py::test_user[1-1]", "test_app.py::TestAccount::test_account"])
def test_a_tests_graph_is_what_pytest_sets_up(app_tree: Path, run_fixlint, nodeid: str) -> None:
    graph = graph_json(run_fixlint, app_tree, "--test", nodeid)
    used = [node for node in graph["nodes"] if node["kind"] != "test" and node["tests"]]
    ours = Counter((node["name"], node["scope"][0].upper()) for node in used)
    # pytest's plan: "SETUP    F user (fixtures used: ...)", a parametrization as "n[1]".
    plan = pytest_output(app_tree, "--setup-plan", nodeid)
    theirs = Counter(
        (re.sub(r"\[.*\]$", "", name), scope) for scope, name in re.findall(r"SETUP\s+([SPMCF]) (\S+)", plan)
    )
    assert ours == theirs, plan
    # Where each name's definition the test gets is defined (pytest names the first decorator line).
    per_test = pytest_output(app_tree, "--fixtures-per-test", nodeid)
    theirs_at = dict(re.findall(r"^(\w+) -- (\w+\.py:\d+)$", per_test, re.MULTILINE))
    getting = {edge["target"] for edge in graph["edges"] if edge["source"].startswith("test:")}
    ours_at = {node["name"]: f"{node['path']}:{node['line']}" for node in used if node["path"]}
    for name, where in theirs_at.items():
        assert ours_at.get(name) == where or any(n.endswith(f"{where}:{name}") for n in getting), (name, where)


def test_a_tests_graph_says_how_each_name_comes(app_tree: Path, run_fixlint) -> None:
    graph = graph_json(run_fixlint, app_tree, "--test", "test_app.py::test_user")
    start = "test:test_app.py::test_user"
    kinds = {edge["target"]: edge["kind"] for edge in graph["edges"] if edge["source"] == start}
    assert kinds == {
        "conftest.py:14:clean": "autouse",
        "plugin:monkeypatch": "usefixtures",
        "param:n": "parametrize",
        "test_app.py:4:user": "argument",
        "test_app.py:9:mode": "argument",
    }
    overrides = [(e["source"], e["target"]) for e in graph["edges"] if e["kind"] == "overrides"]
    assert overrides == [("test_app.py:4:user", "conftest.py:9:user")]
    nodes = {node["id"]: node for node in graph["nodes"]}
    assert nodes["conftest.py:4:database"]["scope"] == "session"
    assert nodes["test_app.py:9:mode"]["scope"] == "module"
    assert not graph_errors(graph)


def graph_errors(graph: dict) -> dict[tuple[str, str], tuple[str, str]]:
    return {(e["source"], e["target"]): (e["rule"], e["error"]) for e in graph["edges"] if e["error"]}


def test_the_red_edges_are_the_errors_check_reports(errors_tree: Path, run_fixlint) -> None:
    checked = run_fixlint(errors_tree, "check", "--format", "json", "--no-cache")
    findings = {(f["rule"], f["message"]) for f in json.loads(checked.output)}
    assert {code for code, _ in findings} == {"fixture-scope-mismatch", "fixture-cycle", "fixture-not-found"}

    folder = graph_errors(graph_json(run_fixlint, errors_tree))
    assert set(folder.values()) == findings
    assert set(folder) == {
        ("conftest.py:4:app", "conftest.py:9:db"),
        ("conftest.py:19:right", "conftest.py:14:left"),
        ("test:test_errors.py::test_missing", "missing:nothing_provides_this"),
    }
    # One test sees its own error, and none of the others'.
    for name, pair in (("test_mismatch", ("conftest.py:4:app", "conftest.py:9:db")),):
        assert graph_errors(graph_json(run_fixlint, errors_tree, "--test", f"test_errors.py::{name}")) == {
            pair: folder[pair]
        }
    cycle = graph_errors(graph_json(run_fixlint, errors_tree, "--test", "test_errors.py::test_cycle"))
    assert list(cycle) == [("conftest.py:19:right", "conftest.py:14:left")]


def test_a_fixtures_graph_is_what_requests_it_and_what_it_requests(app_tree: Path, run_fixlint) -> None:
    graph = graph_json(run_fixlint, app_tree, "--fixture", "database")
    names = {node["name"] for node in graph["nodes"]}
    # user requests it (and the user that overrides that one), account too; mode does not.
    assert names == {"database", "user", "account"}
    whole = graph_json(run_fixlint, app_tree)
    assert {node["name"] for node in whole["nodes"]} == names | {"mode", "clean"}
    wrong = run_fixlint(app_tree, "graph", "--fixture", "databse", "--no-cache")
    assert wrong.exit_code == 2 and "did you mean database?" in wrong.output


def test_an_unknown_test_is_an_error_that_suggests(app_tree: Path, run_fixlint) -> None:
    result = run_fixlint(app_tree, "graph", ".", "--test", "test_app.py::test_usr", "--no-cache")
    assert result.exit_code == 2 and "did you mean test_app.py::test_user" in result.output


def test_dot_is_read_back(errors_tree: Path, run_fixlint, tmp_path: Path) -> None:
    dot = run_fixlint(errors_tree, "graph", "--no-cache").output
    graph = graph_json(run_fixlint, errors_tree)
    statement = r'^  "((?:[^"\\]|\\.)*)"'
    nodes = re.findall(statement + r" \[", dot, re.MULTILINE)
    edges = re.findall(statement + r' -> "((?:[^"\\]|\\.)*)" \[(.*)\];$', dot, re.MULTILINE)
    assert nodes == [node["id"] for node in graph["nodes"]]
    assert [(s, t) for s, t, _ in edges] == [(e["source"], e["target"]) for e in graph["edges"]]
    red = [(s, t) for s, t, attributes in edges if 'color="#c62828"' in attributes]
    assert set(red) == set(graph_errors(graph))
    if DOT is not None:
        drawn = subprocess.run([DOT, "-Tsvg"], input=dot, capture_output=True, text=True, timeout=60)
        assert drawn.returncode == 0 and not drawn.stderr, drawn.stderr
        ElementTree.fromstring(drawn.stdout.encode())


@pytest.mark.parametrize("layout", LAYOUTS)
def test_svg_is_xml_with_a_node_per_fixture(app_tree: Path, errors_tree: Path, run_fixlint, layout: str) -> None:
    for tree in (app_tree, errors_tree):
        graph = graph_json(run_fixlint, tree)
        svg = run_fixlint(tree, "graph", "--format", "svg", "--layout", layout, "--no-cache").output
        root = ElementTree.fromstring(svg.encode())
        assert root.tag == f"{SVG}svg"
        # Both layouts title each node's group with its id, as Graphviz does.
        titles = [
            group.findtext(f"{SVG}title")
            for group in root.iter(f"{SVG}g")
            if "node" in (group.get("class") or "").split()
        ]
        assert sorted(titles) == [node["id"] for node in graph["nodes"]]
        text = "".join(root.itertext())
        for edge in graph_errors(graph).values():
            assert edge[0] in text  # each error is drawn with its rule's name


def test_the_layout_can_be_forced_by_the_environment(app_tree: Path, run_fixlint, monkeypatch) -> None:
    monkeypatch.setenv("FIXLINT_GRAPH_LAYOUT", "python")
    svg = run_fixlint(app_tree, "graph", "--format", "svg", "--no-cache").output
    assert 'class="fixture-graph"' in svg  # ours; Graphviz writes class="graph"
    if DOT is None:
        monkeypatch.setenv("FIXLINT_GRAPH_LAYOUT", "dot")
        refused = run_fixlint(app_tree, "graph", "--format", "svg", "--no-cache")
        assert refused.exit_code == 2 and "Graphviz's `dot` is not installed" in refused.output


@pytest.mark.parametrize("output_format", ["dot", "json", "svg", "html"])
def test_the_same_tree_gives_the_same_text(errors_tree: Path, output_format: str) -> None:
    """In new processes with other hash seeds: nothing may depend on set order."""
    texts = set()
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-m", "fixlint", "graph", "--format", output_format, "--layout", "python", "--no-cache"],
            cwd=errors_tree,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert done.returncode == 0, done.stderr
        texts.add(done.stdout)
    assert len(texts) == 1


# After the page's own script: the size each graph is drawn at, and its nodes.
PROBE = """<script>
document.body.setAttribute("data-graphs", Array.from(document.querySelectorAll("figure.fixture-graph svg"))
  .map(function (svg) { var box = svg.getBoundingClientRect();
    return Math.round(box.width) + "x" + Math.round(box.height) + ":" + svg.querySelectorAll("g.node").length; })
  .join(","));
</script>"""


def shown_graphs(chromium, page: Path, tmp_path: Path) -> list[tuple[int, int, int]]:
    probed = tmp_path / f"probed-{page.name}"
    probed.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dumped = chromium("--dump-dom", probed.as_uri())
    assert dumped.returncode == 0, dumped.stderr
    console = [line for line in dumped.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert not console, console
    found = re.search(r'data-graphs="([^"]*)"', dumped.stdout)
    assert found is not None and found.group(1), "no graph in the page"
    return [tuple(map(int, re.split("[x:]", item))) for item in found.group(1).split(",")]  # type: ignore[misc]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_html_view_in_chromium(errors_tree: Path, run_fixlint, chromium, tmp_path: Path, layout: str) -> None:
    page = tmp_path / f"graph-{layout}.html"
    result = run_fixlint(errors_tree, "graph", "--format", "html", "--layout", layout, "-o", str(page), "--no-cache")
    assert result.exit_code == 0, result.output
    graph = graph_json(run_fixlint, errors_tree)
    ((width, height, nodes),) = shown_graphs(chromium, page, tmp_path)
    assert width > 200 and height > 100 and nodes == len(graph["nodes"])

    artifacts = Path(os.environ.get("FIXLINT_ARTIFACTS", tmp_path))
    artifacts.mkdir(parents=True, exist_ok=True)
    screenshot = artifacts / f"graph-{layout}.png"
    shot = chromium(f"--screenshot={screenshot}", "--window-size=1400,1000", page.as_uri())
    assert shot.returncode == 0, shot.stderr
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 10_000


def test_the_report_shows_a_graph_per_conflict(run_fixlint, chromium, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    result = run_fixlint(EXAMPLES, "report", ".", "--format", "html", "--layout", "python", "-o", str(page))
    assert result.exit_code == 0, result.output
    conflicts = [
        finding
        for finding in json.loads(run_fixlint(EXAMPLES, "check", ".", "--format", "json", "--exit-zero").output)
        if finding["rule"] in ("fixture-scope-mismatch", "fixture-loop-scope", "fixture-cycle", "fixture-not-found")
    ]
    shown = shown_graphs(chromium, page, tmp_path)
    assert len(shown) == len(conflicts) > 0
    assert all(
        width > 100 and height > 40 and nodes >= 3 for width, height, nodes in shown
    )  # test, requester, requested


def test_the_reports_graphs_read_only_the_conflicts_files(run_fixlint, tmp_path: Path) -> None:
    """The graphs of the report's conflicts come from a read of their files (not the whole suite
    again), whose messages name less of the tree: each conflict still gets its graph."""
    root = make_tree(
        tmp_path / "suite",
        {
            "pytest.ini": PYTEST_INI,
            "tests/test_owner.py": "import pytest\n\n\n@pytest.fixture\ndef db():\n    return 1\n\n\n"
            "def test_owner(db):\n    assert db\n",
            "tests/test_user.py": "def test_user(db):\n    assert db\n\n\ndef test_again(db):\n    assert db\n",
            "tests/test_unrelated.py": "def test_unrelated():\n    pass\n",
        },
    )
    check = json.loads(run_fixlint(root, "check", "--format", "json", "--exit-zero").output)
    assert [finding["rule"] for finding in check] == ["fixture-not-found"] * 2
    assert all("test_owner.py:4 (a module's fixtures" in finding["message"] for finding in check)
    page = tmp_path / "report.html"
    result = run_fixlint(root, "report", "--format", "html", "--layout", "python", "-o", str(page), "--no-cache")
    assert result.exit_code == 0, result.output
    assert page.read_text(encoding="utf-8").count('<figure class="fixture-graph"') == 2


BUILTINS_CONFTEST = """\
import pytest


@pytest.fixture
def workdir(tmpdir):
    return tmpdir
"""
OVERRIDE = """

@pytest.fixture(scope="session")
def tmp_path_factory(tmp_path_factory):
    return tmp_path_factory
"""
BUILTINS_TEST = """\
def test_files(workdir, capsys, mocker):
    pass


def test_paths(tmp_path, module_mocker):
    pass
"""


@pytest.mark.parametrize("nodeid", ["test_builtins.py::test_files", "test_builtins.py::test_paths"])
def test_what_pytests_own_fixtures_request_is_drawn_as_pytest_sets_it_up(
    tmp_path: Path, run_fixlint, nodeid: str
) -> None:
    """``tmpdir`` requests ``tmp_path``, which requests ``tmp_path_factory``; ``mocker`` requests
    ``pytestconfig``: the graph's edges from pytest's and the plugins' own fixtures are pytest's
    "fixtures used", and its nodes what ``--setup-plan`` sets up."""
    files = {"pytest.ini": PYTEST_INI, "conftest.py": BUILTINS_CONFTEST, "test_builtins.py": BUILTINS_TEST}
    tree = make_tree(tmp_path, files)
    graph = graph_json(run_fixlint, tree, "--test", nodeid)
    plan = pytest_output(tree, "--setup-plan", "-p", "no:randomly", nodeid)
    names = {node["id"]: node["name"] for node in graph["nodes"]}
    ours = {
        (names[edge["source"]], names[edge["target"]])
        for edge in graph["edges"]
        if not edge["source"].startswith("test:") and edge["kind"] != "overrides"
    }
    theirs = {
        (name, used)
        for name, listed in re.findall(r"SETUP\s+[SPMCF] (\S+) \(fixtures used: ([^)]*)\)", plan)
        for used in listed.split(", ")
        if used != "request"
    }
    assert ours == theirs, plan
    assert {("tmpdir", "tmp_path"), ("tmp_path", "tmp_path_factory"), ("mocker", "pytestconfig")} & ours, plan
    used = Counter(node["name"] for node in graph["nodes"] if node["kind"] != "test" and node["tests"])
    assert used == Counter(re.findall(r"SETUP\s+[SPMCF] (\S+)", plan)), plan


def test_pytests_own_fixture_requests_the_override_its_tests_see(tmp_path: Path, run_fixlint) -> None:
    """A conftest's ``tmp_path_factory`` overrides pytest's: ``tmp_path`` requests that one."""
    files = {"pytest.ini": PYTEST_INI, "conftest.py": BUILTINS_CONFTEST + OVERRIDE, "test_builtins.py": BUILTINS_TEST}
    graph = graph_json(run_fixlint, make_tree(tmp_path, files), "--test", "test_builtins.py::test_paths")
    requests = {(edge["source"], edge["target"]) for edge in graph["edges"] if edge["kind"] == "argument"}
    assert ("plugin:tmp_path", "conftest.py:9:tmp_path_factory") in requests


def test_the_table_of_what_pytests_own_fixtures_request_is_pytests(tmp_path: Path) -> None:
    """Every fixture of the table, set up by pytest (pytester's plugin on): its "fixtures used"."""
    names = sorted(BUILTIN_FIXTURES.keys() | PLUGIN_FIXTURES.keys())
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = -p pytester\n")
    (tmp_path / "test_all.py").write_text(f"def test_all({', '.join(names)}):\n    pass\n")
    plan = pytest_output(tmp_path, "--setup-plan", "-p", "no:randomly")
    assert "not found" not in plan, plan
    theirs = {
        name: tuple(sorted(used for used in listed.split(", ") if used not in ("request", "")))
        for name, listed in re.findall(r"SETUP\s+[SPMCF] (\S+)(?: \(fixtures used: ([^)]*)\))?", plan)
    }
    assert set(theirs) >= set(names), plan
    assert {name: used for name, used in theirs.items() if used} == {
        name: tuple(sorted(used)) for name, used in BUILTIN_REQUESTS.items()
    }
