from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

from fixlint.findings import Applicability, Finding, Fix
from fixlint.modules import SourceFile
from fixlint.pytest_model.closure import resolution
from fixlint.pytest_model.project import Project, TestItem
from fixlint.rules.base import Example, Rule, code_list
from fixlint.rules.fixture_graph.edits import usefixtures_edits
from fixlint.rules.fixture_graph.visibility import generates_tests


class FixtureUnread(Rule):
    """## What it does
    Finds a test that requests a fixture as a parameter and never reads it: it wants the
    fixture's side effect only (a database, a patched setting).

    ## Why is this bad?
    A parameter the body never reads looks like dead code: linters flag it (ARG001), a reader
    removes it, and the test then runs without the fixture it needs. `usefixtures` says that
    the test needs the fixture for its effect.

    Not reported: fixtures (`usefixtures` has no effect on a fixture function, so a parameter is
    their only way to ask), names a parametrization sets, tests whose module or conftests
    define `pytest_generate_tests`, and tests that may read their arguments another way
    (`locals()`, `vars()`, `eval`, a decorator other than a mark or `mock.patch`).

    ## Example
    ```python
    def test_orders(db, client):
        assert client.get("/orders").ok
    ```

    ## Use instead
    ```python
    @pytest.mark.usefixtures("db")
    def test_orders(client):
        assert client.get("/orders").ok
    ```

    ## Fix safety
    Safe: pytest sets up the fixtures of a `usefixtures` mark as it does those of the
    parameters (the order among them may change, as it would for any fixture added). The mark
    is added (or the function's own extended), and `import pytest` where missing.
    """

    name = "fixture-unread"
    blocks = "style"
    family = "fixture-graph"
    summary = "A test requests a fixture as a parameter for its side effect only (use usefixtures)"
    fix = Applicability.SAFE
    # Right on the real suites (60 of 60 sampled), but a convention rather than an error, and in
    # the hundreds on healthy suites: opt-in.
    default_enabled = False
    examples = (
        Example(
            files={
                "conftest.py": "import pytest\n\n@pytest.fixture\ndef db():\n    yield\n",
                "test_orders.py": "def test_orders(db, tmp_path):\n    assert tmp_path\n",
            },
            expected=("test_orders.py:1 fixture-unread",),
            fixed={
                "test_orders.py": (
                    'import pytest\n\n@pytest.mark.usefixtures("db")\ndef test_orders(tmp_path):\n    assert tmp_path\n'
                ),
            },
        ),
        Example(
            # Read in a nested function: not reported.
            files={
                "conftest.py": "import pytest\n\n@pytest.fixture\ndef db():\n    return 1\n",
                "test_orders.py": "def test_orders(db):\n    def check():\n        return db\n    assert check()\n",
            },
        ),
    )

    def check_project(self, project: Project) -> Iterator[Finding]:
        seen: set[tuple[Path, str]] = set()  # a function once, however many classes inherit it
        for test in project.tests():
            function = test.function
            qualname = f"{function.owner}.{function.name}" if function.owner else function.name
            if not function.unread or (test.file.path, qualname) in seen:
                continue
            seen.add((test.file.path, qualname))
            names = self._unread_fixtures(project, test)
            if names:
                yield self._finding(project, test.file, test, qualname, names)

    def _unread_fixtures(self, project: Project, test: TestItem) -> list[str]:
        parametrized = {name for marks in test.marks() for mark in marks.parametrize for name in mark.argnames}
        if any(marks.names.count("parametrize") > len(marks.parametrize) for marks in test.marks()):
            return []  # a parametrize mark fixlint cannot read may name any of them
        if generates_tests(project, test):
            return []
        defs = resolution(project, test, frozenset()).defs
        return [name for name in test.function.unread if name not in parametrized and defs(name)]

    def _finding(self, project: Project, file: SourceFile, test: TestItem, qualname: str, names: list[str]) -> Finding:
        function = test.function
        plural = "s" if len(names) > 1 else ""
        quoted = ", ".join(f'"{name}"' for name in names)
        it = "them" if plural else "it"
        message = (
            f"`{function.name}` requests fixture{plural} {code_list(names)} and never reads {it}: "
            f"ask for {it} with @pytest.mark.usefixtures({quoted}) if the test needs {'their' if plural else 'its'} "
            f"effect, or drop the parameter{plural}"
        )
        path = str(file.path)
        edits = partial(_edits, project, path, qualname, tuple(names))
        return Finding(
            self.name,
            path,
            function.line,
            function.column,
            function.line,
            function.column + len(function.name),
            message,
            fix=Fix(Applicability.SAFE, edits),
            data={"test": function.name, "fixtures": names},
        )


def _edits(project: Project, path: str, qualname: str, names: tuple[str, ...]) -> tuple:
    return usefixtures_edits(path, project.read(Path(path)), qualname, names)
