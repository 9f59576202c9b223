from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Optional, Union

from fixlint.facts.model import ImportFact
from fixlint.files import fs
from fixlint.findings import Finding
from fixlint.modules import SourceFile
from fixlint.pytest_model.collection import is_test_code
from fixlint.pytest_model.project import Project, is_test_module
from fixlint.rules.base import Example, Rule

# Helper packages of the tests (``test_framework/``, ``tests/helpers/``): test code the tests import.
# How deep star imports are followed to list a module's names.
MAX_STAR_DEPTH = 20


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
    None. Left alone, as pytest would not fail on them at collection: imports inside functions
    (they fail when the test runs), imports in an `if` or `try` block (`try: ... except
    ImportError:`, `if TYPE_CHECKING:`), modules whose top-level package is not in the tree
    (third-party, or put on `sys.path` in a way fixlint does not read), modules that make names at
    run time (a module `__getattr__`, `globals()`, an `__all__` that is not a literal), and relative
    imports in a helper whose folder has no `__init__.py` (a namespace subpackage: imported by its
    dotted name, they work). In a test module or conftest they fail: pytest imports it by its
    base name.
    """

    name = "import-unresolved"
    family = "imports"
    reads_imported_modules = True
    blocks = "collection-error"
    summary = "A first-party import in test code whose module or name does not exist"
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
        resolver = _Resolver(project)
        for path in sorted(project.files):
            file = project.files[path]
            if file.facts.syntax_error is not None or not is_test_code(file.path, file.config):
                continue
            for imported in file.facts.imports:
                if imported.conditional:
                    continue
                problem = resolver.problem(file, imported)
                if problem is not None:
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


class _Resolver:
    """What a module of the tree offers, as Python's import system would find it."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._names: dict[Path, Optional[frozenset[str]]] = {}
        self._collected_roots: Optional[list[Path]] = None
        self._session_tops: dict[str, list[Path]] = {}  # by top-level name: where the session's roots hold it
        self._top: dict[tuple[Path, str], Optional[Path]] = {}

    def problem(self, file: SourceFile, imported: ImportFact) -> Optional[str]:
        """Why the import fails, or None when it works or fixlint cannot tell."""
        parts = [part for part in imported.module.split(".") if part]
        if imported.level:
            folder = file.path.parent
            for _ in range(imported.level):
                if not fs.is_file(folder / "__init__.py"):
                    if not (file.is_conftest or is_test_module(file)):
                        # A helper's folder may be a namespace subpackage, imported by its
                        # dotted name: its relative imports then work. fixlint cannot tell.
                        return None
                    return "a relative import outside a package (the folder has no `__init__.py`)"
                base = folder
                folder = folder.parent
            return self._within(file, imported, base / "__init__.py", parts)
        # Which folder comes first on sys.path depends on the order pytest imported the conftests
        # and modules of the session: the import works if it works from any of them.
        problems = [self._within(file, imported, top, parts[1:]) for top in self._tops(file, parts[0])]
        if not problems or None in problems:
            return None  # not first-party (third-party, or where fixlint does not look), or it works
        return problems[0]

    def _tops(self, file: SourceFile, name: str) -> list[Path]:
        """The top-level modules ``name`` may be in a session: in the folders on ``sys.path``
        (the rootdir, ``pythonpath``, the folders conftests add, the project's ``src``, the
        package roots of the test modules and conftests pytest imports; the file's own first),
        a package before a module of the same name."""
        if self._collected_roots is None:
            self._collected_roots = sorted(
                {
                    self.project.package_root(source.path.parent)
                    for source in self.project.files.values()
                    if source.is_conftest or is_test_module(source)
                }
            )
        # A helper module's own folder is not on sys.path (``tests/fixtures/docker.py`` imports the
        # installed ``docker``); the rootdir is, under ``python -m pytest`` run there.
        own = [self.project.package_root(file.path.parent)] if file.is_conftest or is_test_module(file) else []
        tops: list[Path] = []
        for base in (*own, *self.project.search_path(file)):
            top = self._top_in(base, name)
            if top is not None and top not in tops:
                tops.append(top)
        # The session's roots are the same for every file: asked once per name.
        if name not in self._session_tops:
            found = (self._top_in(base, name) for base in self._collected_roots)
            self._session_tops[name] = [top for top in found if top is not None]
        return tops + [top for top in self._session_tops[name] if top not in tops]

    def _top_in(self, base: Path, name: str) -> Optional[Path]:
        """A package before a module of the same name, as Python's path finder looks (asked once)."""
        key = (base, name)
        if key not in self._top:
            self._top[key] = next(
                (top for top in (base / name / "__init__.py", base / f"{name}.py") if fs.is_file(top)), None
            )
        return self._top[key]

    def _within(self, file: SourceFile, imported: ImportFact, top: Path, parts: list[str]) -> Optional[str]:
        """Why the rest of the import fails from the module at ``top``; None when it works."""
        path = top
        for part in parts:
            found = self._submodule(path, part)
            if found is None or isinstance(found, str):
                return found
            path = found
        if imported.star or (imported.level == 0 and imported.names and imported.names[0][0] == imported.module):
            return None
        names = self.names(path)
        if names is None:
            return None
        missing = [
            name for name, _ in imported.names if name not in names and self._submodule(path, name, quiet=True) is None
        ]
        if not missing:
            return None
        where = Path(os.path.relpath(path, file.config.rootdir)).as_posix()  # ``../helpers.py`` from a nested rootdir
        return f"`{where}` has no {'names' if len(missing) > 1 else 'name'} {', '.join(f'`{n}`' for n in missing)}"

    def _submodule(self, path: Path, part: str, quiet: bool = False) -> Union[Path, str, None]:
        """The file of submodule ``part`` of the module at ``path``; a message when there is none
        (None when ``quiet``, or when a namespace folder or a dynamic package makes it unknowable)."""
        if path.name != "__init__.py":
            return None if quiet else f"`{path.stem}` ({path.name}) is a module, not a package: no `{part}` in it"
        folder = path.parent
        # A package comes before a module of the same name, as Python's path finder looks.
        for candidate in (folder / part / "__init__.py", folder / f"{part}.py"):
            if fs.is_file(candidate):
                return candidate
        if fs.is_dir(folder / part) or quiet:
            return None
        package = self.project.source(path)
        if package is None or package.facts.dynamic_names or "__path__" in package.facts.module_names:
            return None
        return f"no module `{part}` in package `{folder.name}`"

    def names(self, path: Path, depth: int = 0) -> Optional[frozenset[str]]:
        """Every name the module binds at its top level, star imports followed; None: not knowable."""
        if path in self._names:
            return self._names[path]
        self._names[path] = None  # a cycle of star imports is not followed round
        source = self.project.source(path)
        if source is None or source.facts.syntax_error is not None or source.facts.dynamic_names:
            return None
        names: Optional[set[str]] = set(source.facts.module_names)
        for imported in source.facts.imports:
            if not imported.star or names is None:
                continue
            target = self._star_target(source, imported)
            exported = self.exports(target, depth + 1) if target is not None and depth < MAX_STAR_DEPTH else None
            names = None if exported is None else names | exported
        self._names[path] = None if names is None else frozenset(names)
        return self._names[path]

    def exports(self, path: Path, depth: int) -> Optional[frozenset[str]]:
        """The names ``from module import *`` binds: its ``__all__``, else its public names."""
        source = self.project.source(path)
        if source is not None and source.facts.exports is not None and not source.facts.dynamic_names:
            return frozenset(source.facts.exports)
        names = self.names(path, depth)
        return None if names is None else frozenset(name for name in names if not name.startswith("_"))

    def _star_target(self, source: SourceFile, imported: ImportFact) -> Optional[Path]:
        if imported.level:
            return self.project.resolve_import(source, imported.module, imported.level)
        parts = imported.module.split(".")
        path = self.project.resolve_import(source, parts[0], 0)
        for part in parts[1:]:
            found = self._submodule(path, part, quiet=True) if path is not None else None
            path = found if isinstance(found, Path) else None
        return path
