from __future__ import annotations

from collections.abc import Iterator

from fixlint.facts.model import ImportFact
from fixlint.files.display import message_path
from fixlint.findings import Finding
from fixlint.modules import SourceFile
from fixlint.pytest_model.fixturedefs import FixtureDef
from fixlint.pytest_model.project import Project, is_test_module
from fixlint.rules.base import Example, Rule


class FixtureImported(Rule):
    """## What it does
    Finds a fixture imported into a test module by name (`from fixtures import db`): pytest
    registers every fixture function bound in the module, so the import is how the module's tests
    get it.

    ## Why is this bad?
    Nothing in the module reads the name, so linters take the import for dead code: ruff's
    F401 removes it (and the tests then fail with "fixture 'db' not found"), and F811 flags each
    test that takes `db` as a parameter. A fixture imported into a module also overrides a
    conftest fixture of the same name for that module alone, which a reader of the conftest
    does not expect.

    ## Example
    ```python
    # tests/test_orders.py
    from tests.fixtures.db import db

    def test_order(db): ...
    ```

    ## Use instead
    Provide it where pytest looks for fixtures: in the nearest `conftest.py`, as a
    `pytest_plugins = ["tests.fixtures.db"]` entry in the root conftest, or as a re-export
    (`from tests.fixtures.db import db  # noqa: F401`).

    ## Fix safety
    No fix yet: moving the import changes which tests see the fixture.
    """

    name = "fixture-imported"
    family = "fixture-graph"
    blocks = "maintenance"
    summary = "A fixture imported into a test module by name, where linters take it for an unused import"
    default_enabled = False  # until its fix lands: hundreds of findings on a suite that imports fixtures
    examples = (
        Example(
            files={
                "fixtures.py": "import pytest\n\n@pytest.fixture\ndef db():\n    return {}\n",
                "test_orders.py": "from fixtures import db\n\n\ndef test_order(db):\n    assert db == {}\n",
            },
            expected=("test_orders.py:1 fixture-imported",),
        ),
        Example(
            # A module imported whole registers nothing; a helper function is not a fixture.
            files={
                "fixtures.py": (
                    "import pytest\n\ndef make_db():\n    return {}\n\n@pytest.fixture\ndef db():\n    return {}\n"
                ),
                "conftest.py": "from fixtures import db  # noqa: F401\n",
                "test_orders.py": (
                    "import fixtures\nfrom fixtures import make_db\n\n\n"
                    "def test_order(db):\n    assert db == make_db()\n"
                ),
            },
        ),
    )

    def check_project(self, project: Project) -> Iterator[Finding]:
        for path in sorted(project.files):
            file = project.files[path]
            if not is_test_module(file) or file.facts.syntax_error is not None:
                continue
            registered = _registered_elsewhere(project, file)
            for imported in file.facts.imports:
                for name, _ in imported.names:
                    if name in registered:
                        yield self._finding(project, file, imported, registered[name])

    def _finding(self, project: Project, file: SourceFile, imported: ImportFact, fixturedef: FixtureDef) -> Finding:
        rootdir = file.config.rootdir
        source = message_path(fixturedef.path)
        message = (
            f"fixture `{fixturedef.name}` ({source}) is imported by name: linters take it for an unused import; "
            "provide it from a conftest.py (a `pytest_plugins` entry or a re-export)"
        )
        shadowed = [
            f"{message_path(fixture.path)}:{fixture.fact.line}"
            for holder in project.conftest_holders(file.path.parent, rootdir)
            for fixture in holder.defs.get(fixturedef.name, ())
            if fixture.path != fixturedef.path and fixture.fact is not None
        ]
        if shadowed:
            message += f"; here it overrides the conftest fixture of that name ({shadowed[-1]})"
        return Finding(
            self.name,
            str(file.path),
            imported.line,
            imported.column,
            imported.line,
            imported.column,
            message,
            data={"fixture": fixturedef.name, "fixture_path": fixturedef.path},
        )


def _registered_elsewhere(project: Project, file: SourceFile) -> dict[str, FixtureDef]:
    """The fixtures the module registers that another file defines (it imported them), by the
    name of their function."""
    return {
        fixturedef.fact.func_name: fixturedef
        for defs in project.module_holder(file.path).defs.values()
        for fixturedef in defs
        if fixturedef.fact is not None and fixturedef.path != str(file.path)
    }
