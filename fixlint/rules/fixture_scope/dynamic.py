from __future__ import annotations

from collections.abc import Iterator

from fixlint.findings import Finding
from fixlint.pytest_model.analysis import RequestGroup, project_analysis
from fixlint.pytest_model.fixturedefs import FixtureDef
from fixlint.pytest_model.project import Project
from fixlint.rules.base import Example, Rule, fixture_finding


class FixtureScopeDynamic(Rule):
    """## What it does
    Finds the requests whose ScopeMismatch fixlint cannot decide, because the scope of one side
    is not known before pytest runs: a callable (`scope=determine_scope`), a name that is not a
    str constant of the tree (an environment variable, a name bound in a branch), or a value
    pytest does not know as a scope. Scopes read from constants (`scope=SESSION_SCOPE`, imported
    or in the module, `Scopes.SESSION`, `"ses" + SUFFIX`) are known: `fixture-scope-mismatch`
    judges those. Off by default; select it to review the requests fixlint cannot judge.

    ## Why is this bad?
    Where the scope is computed when pytest runs, a mismatch shows up only under some options
    or environments (a `--keep-db` run, a CI variable), and no static check can rule it out.

    ## Example
    ```python
    def pick_scope(fixture_name, config):
        return "session" if config.getoption("--keep-db") else "function"

    @pytest.fixture(scope=pick_scope)
    def database(tmp_path):  # tmp_path is function-scoped
        ...
    ```

    ## Use instead
    A literal or a constant scope, or a dynamic one whose every value fits what the fixture
    requests (`tmp_path_factory` rather than `tmp_path`). Where the dynamic scope is right,
    suppress the line.

    ## Fix safety
    No fix: fixlint does not know the scope pytest will use.

    ## Options
    None.
    """

    name = "fixture-scope-dynamic"
    blocks = "maintenance"  # a review list: fixlint cannot tell whether pytest raises
    family = "fixture-scope"
    summary = "A request whose ScopeMismatch depends on a scope computed when pytest runs"
    default_enabled = False  # nothing to fix: a review list for those who ask for it
    examples = (
        Example(
            files={
                "conftest.py": (
                    "import pytest\n\ndef pick_scope(fixture_name, config):\n    return 'function'\n\n"
                    "@pytest.fixture(scope=pick_scope)\ndef database(tmp_path):\n    return tmp_path\n"
                ),
                "test_db.py": "def test_db(database):\n    assert database\n",
            },
            expected=("conftest.py:6 fixture-scope-dynamic",),
        ),
        Example(
            # A constant scope is read: fixture-scope-mismatch judges it.
            files={
                "constants.py": 'SESSION_SCOPE = "session"\n',
                "conftest.py": (
                    "import pytest\nfrom constants import SESSION_SCOPE\n\n"
                    "@pytest.fixture(scope=SESSION_SCOPE)\ndef database(tmp_path_factory):\n"
                    "    return tmp_path_factory\n"
                ),
                "test_db.py": "def test_db(database):\n    assert database\n",
            },
        ),
    )

    def check_project(self, project: Project) -> Iterator[Finding]:
        for group in project_analysis(project).undecided():
            if group.request.via != "loop":
                yield self._finding(group)

    def _finding(self, group: RequestGroup) -> Finding:
        request = group.request
        requester, requested = request.requester, request.requested
        dynamic = requester if request.requester_scope is None else requested
        known = request.requested_scope if request.requester_scope is None else request.requester_scope
        fact = requester.fact
        # An unknown scope is a fixture's own: a parametrization's is always known.
        assert fact is not None and known is not None and isinstance(dynamic, FixtureDef)
        tests = sorted({test.nodeid for test in group.tests})
        return fixture_finding(
            self.name,
            requester.path,
            fact,
            (
                f"`{requester.label}` requests `{requested.name}`, and fixlint cannot read the scope of "
                f"`{dynamic.name}`: {dynamic.dynamic_scope}; it cannot tell whether this is a ScopeMismatch against "
                f"{known.value} scope; check it, or suppress this line"
            ),
            severity="warning",
            concerns=tuple(sorted({str(test.file.path) for test in group.tests})),
            data={"requester": requester.name, "requested": requested.name, "dynamic": dynamic.name, "tests": tests},
        )
