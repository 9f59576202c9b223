from __future__ import annotations

from collections.abc import Iterator

from fixlint.facts.model import ImportFact
from fixlint.findings import Finding
from fixlint.pytest_model.collection import is_test_code
from fixlint.pytest_model.project import Project
from fixlint.rules.base import Example, Rule
from fixlint.rules.import_resolution import ImportResolver

# Helper packages of the tests (``test_framework/``, ``tests/helpers/``): test code the tests import.


class ImportUnresolved(Rule):
    """## What it does
    Finds, in test modules, conftests and the helper packages they import (folders named like
    tests, such as `test_framework/`), a first-party import whose module or name does not exist:
    `import pkg.missing`, `from pkg.module import Missing`, `from . import missing`. A module is
    first-party when its top-level package is found where pytest's prepend import mode looks (the
    test's package root, the rootdir, `pythonpath`), in a folder a conftest above it puts on
    `sys.path` in a way fixlint reads (`sys.path.insert(0, str(Path(__file__).parent / "lib"))`),
    or in the project's `src` folder (a src layout, installed where the suite runs). Names count
    when the module binds them at its top level, in any branch, re-exports them (`from .a import
    X`, star imports and `__all__` followed), or when they are submodules of a package.

    A third-party import (a top-level module neither first-party nor in the standard library) is
    judged against the suite's environment when fixlint knows it is the suite's: named by the
    top-level `python` setting, `VIRTUAL_ENV`, a `.venv` or `venv` in the project's folder, or the
    environment fixlint runs in when the project itself is installed there. It is reported when no
    folder of that environment's `sys.path` (site-packages, the folders its `.pth` files add) holds
    it and no editable install maps it: `import redis` with no `redis` installed there; and a
    submodule of a namespace package (folders without `__init__.py`, as `google.cloud`) that no
    installed distribution put there: `from google.cloud import logging`. Files of a
    project nested in that one (a folder with a `pyproject.toml`, `setup.py` or `setup.cfg` of its
    own, as a monorepo's plugins) have an environment of their own: they are not judged.

    ## Why is this bad?
    pytest imports every test module and conftest when it collects: one import that fails is a
    collection error (`ImportError`, `ModuleNotFoundError`), and none of the file's tests run.

    ## Example
    ```python
    # test_framework/__init__.py defines `create_test_context` only
    from test_framework import TestContext
    ```

    ## Use instead
    Import the name from the module that defines it, or export it from the package.

    ## Fix safety
    No fix: which module was meant is for a person to say.

    ## Options
    None. Left alone, as pytest would not fail on them at collection: imports inside functions (they
    fail when the test runs), imports in an `if` or `try` block (`try: ... except ImportError:`, `if
    TYPE_CHECKING:`), a module a module-level `pytest.importorskip` names, third-party modules where
    fixlint does not know the suite's environment, or cannot read one of its editable installs (a
    finder other than setuptools' or `editables`'), the submodules and names of third-party modules
    other than namespace packages, a module named like a module or folder of the tree, or like a
    package of the repository above the rootdir (a monorepo's library: put on `sys.path` in a way
    fixlint does not read, such as `PYTHONPATH` or a workspace's install), modules that make names
    at run time (a module `__getattr__`, `globals()`, an `__all__` that is not a literal), and
    relative imports in a helper whose folder has no `__init__.py` (a namespace subpackage: imported
    by its dotted name, they work). In a test module or conftest they fail: pytest imports it by its
    base name.
    """

    name = "import-unresolved"
    family = "imports"
    reads_imported_modules = True
    blocks = "collection-error"
    summary = "An import in test code whose module or name does not exist (third-party: in the suite's environment)"
    examples = (
        Example(
            files={
                "helpers/__init__.py": "from helpers.events import *\n",
                "helpers/events.py": "__all__ = ['send']\n\ndef send():\n    pass\n\ndef _private():\n    pass\n",
                "test_a.py": "from helpers import send, receive\n\n\ndef test_a():\n    send()\n",
            },
            expected=("test_a.py:1 import-unresolved",),
        ),
        Example(
            files={
                "helpers/__init__.py": "",
                "helpers/events.py": "def send():\n    pass\n",
                "test_a.py": (
                    "import requests_not_installed\nfrom helpers import events\nfrom helpers.events import send\n"
                    "try:\n    from helpers.events import receive\nexcept ImportError:\n    receive = None\n\n\n"
                    "def test_a():\n    from helpers.events import later\n"
                ),
            },
        ),
    )

    def check_project(self, project: Project) -> Iterator[Finding]:
        project.load_imported_modules()
        resolver = ImportResolver(project)
        for path in sorted(project.files):
            file = project.files[path]
            if file.facts.syntax_error is not None or not is_test_code(file.path, file.config):
                continue
            told: set[str] = set()  # each cause once a file: `acouchbase` missing, not each import of it
            for imported in file.facts.imports:
                if imported.conditional:
                    continue
                problem = resolver.problem(file, imported)
                if problem is not None and problem not in told:
                    told.add(problem)
                    yield Finding(
                        self.name,
                        str(file.path),
                        imported.line,
                        imported.column,
                        imported.line,
                        imported.column,
                        f"{_statement(imported)}: {problem}",
                        data={"module": "." * imported.level + imported.module},
                    )


def _statement(imported: ImportFact) -> str:
    module = "." * imported.level + imported.module
    if imported.level == 0 and not imported.star and imported.names and imported.names[0][0] == imported.module:
        return f"`import {module}`"
    return f"`from {module} import {'*' if imported.star else ', '.join(name for name, _ in imported.names)}`"
