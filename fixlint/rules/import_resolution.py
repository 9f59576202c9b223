"""Why an import fails, as Python's import system would find the modules of the tree, and
those of the suite's environment when fixlint knows it is the suite's: the import-unresolved
rule reports it, and the rules of tests that pytest cannot import (a collection error, not a
set-up one) leave those tests alone."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Union

from fixlint.facts.model import ImportFact
from fixlint.files import fs
from fixlint.files.display import message_path
from fixlint.modules import SourceFile
from fixlint.pytest_model.environment import importable_modules, judges_imports, namespace_submodules
from fixlint.pytest_model.project import Project, is_test_module

# How deep star imports are followed to list a module's names.
MAX_STAR_DEPTH = 20
# Files that declare a Python project with dependencies of its own.
PROJECT_FILES = ("pyproject.toml", "setup.py", "setup.cfg")


class ImportResolver:
    """What a module of the tree offers, as Python's import system would find it."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._names: dict[Path, Optional[frozenset[str]]] = {}
        self._collected_roots: Optional[list[Path]] = None
        self._session_tops: dict[str, list[Path]] = {}  # by top-level name: where the session's roots hold it
        self._failures: dict[tuple[Path, bool], Optional[ImportFact]] = {}
        self._top: dict[tuple[Path, str], Optional[Path]] = {}
        environment = project.environment
        self._installed = importable_modules(environment) if judges_imports(environment) else None
        self._tree_modules: dict[Path, frozenset[str]] = {}  # by rootdir
        self._above: dict[tuple[Path, str], bool] = {}  # (rootdir, name): in the repository above it
        self._own_project: dict[Path, bool] = {}  # folder: in a project nested in the environment's

    def problem(self, file: SourceFile, imported: ImportFact, strict: bool = False) -> Optional[str]:
        """Why the import fails, or None when it works or fixlint cannot tell. ``strict``: a
        name that is only a module somewhere in the tree, on none of the session's paths, and not
        installed counts as failing (what a fix may rely on, not what a finding may say)."""
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
        tops = self._tops(file, parts[0])
        if not tops:
            return self._not_installed(file, imported, parts, strict)
        problems = [self._within(file, imported, top, parts[1:]) for top in tops]
        return None if None in problems else problems[0]

    def _not_installed(self, file: SourceFile, imported: ImportFact, parts: list[str], strict: bool) -> Optional[str]:
        """Why a module that is not first-party fails: the suite's environment has no such module,
        or a namespace package of it no such submodule (None when fixlint does not know the
        suite's environment, or cannot read all of it)."""
        name = parts[0]
        if self._installed is None or name in file.facts.import_skips:
            return None
        if self._in_a_project_of_its_own(file.path.parent):
            return None
        # A module of the tree put on sys.path in a way fixlint does not read (PYTHONPATH, a
        # function's sys.path edit) is not for the environment to have.
        if not strict and (
            name in self._modules_of_tree(file.config.rootdir) or self._in_the_repository(file.config.rootdir, name)
        ):
            return None
        environment = self.project.environment
        where = f"{message_path(environment.location)} ({environment.reason})"
        if name not in self._installed:
            return f"`{name}` is not installed in {where}"
        # A namespace package holds its portions' submodules and nothing else (`google.cloud`):
        # `from google.cloud import logging` fails where no distribution put `logging` there.
        levels = [(parts[:depth], [parts[depth]]) for depth in range(1, len(parts))]
        if not imported.star and imported.names and imported.names[0][0] != imported.module:
            levels.append((parts, [name for name, _ in imported.names]))
        for package, wanted in levels:
            submodules = namespace_submodules(environment, tuple(package))
            if submodules is None:
                return None
            missing = [part for part in wanted if part not in submodules]
            if missing:
                return (
                    f"no module {', '.join(f'`{part}`' for part in missing)} in the namespace package "
                    f"`{'.'.join(package)}` in {where}"
                )
        return None

    def _modules_of_tree(self, rootdir: Path) -> frozenset[str]:
        """The names of every module and package folder below the rootdir."""
        if rootdir not in self._tree_modules:
            names: set[str] = set()
            for path in self.project.modules_under(rootdir):
                names.add(path.stem)
                names.update(path.relative_to(rootdir).parts[:-1] if rootdir in path.parents else ())
            self._tree_modules[rootdir] = frozenset(names)
        return self._tree_modules[rootdir]

    def _in_a_project_of_its_own(self, folder: Path) -> bool:
        """The folder is in a project nested in the one the environment is the suite's of (a
        monorepo's plugin with its own ``pyproject.toml``), or outside it: its dependencies are
        installed in an environment of its own, which fixlint was not named."""
        if not self.project.environment.project:
            return False  # an environment given without its project (a model built by hand)
        if folder not in self._own_project:
            home = Path(self.project.environment.project)
            if folder == home:
                self._own_project[folder] = False
            elif home not in folder.parents:
                self._own_project[folder] = True
            else:
                declares = any(fs.exists(folder / marker) for marker in PROJECT_FILES)
                self._own_project[folder] = declares or self._in_a_project_of_its_own(folder.parent)
        return self._own_project[folder]

    def _in_the_repository(self, rootdir: Path, name: str) -> bool:
        """A package or module of that name in a folder above the rootdir, or its ``src``, up to
        the repository's root: a monorepo's own library, installed where its services' suites
        run (a workspace), is not for the suite's environment to lack."""
        key = (rootdir, name)
        if key not in self._above:
            self._above[key] = False
            for folder in rootdir.parents:
                if any(self._top_in(base, name) is not None for base in (folder, folder / "src")):
                    self._above[key] = True
                    break
                if fs.exists(folder / ".git"):
                    break
        return self._above[key]

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

    def import_failure(self, file: SourceFile, strict: bool = False) -> Optional[ImportFact]:
        """The first import of the module that fails when pytest imports it (a module-level
        one, not in an ``if`` or ``try`` block), or None (``strict``: as ``problem``). Answered
        once per module."""
        key = (file.path, strict)
        if key not in self._failures:
            self._failures[key] = next(
                (
                    imported
                    for imported in file.facts.imports
                    if not imported.conditional and self.problem(file, imported, strict)
                ),
                None,
            )
        return self._failures[key]
