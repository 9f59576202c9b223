"""What a test's fixture requests depend on beyond the fixtures it sees: hooks that may
parametrize it, the classes it inherits from, and whether pytest can import its module."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from fixlint.files import fs
from fixlint.files.display import shown_in_message
from fixlint.modules import SourceFile
from fixlint.pytest_model.collection import from_rootdir
from fixlint.pytest_model.project import Project, TestItem
from fixlint.rules.import_resolution import ImportResolver

GENERATE_TESTS = "pytest_generate_tests"


def lineage(test: TestItem) -> list[str]:
    """The qualnames of the classes the test is in, outermost first."""
    owner = test.function.owner
    if owner is None:
        return []
    parts = owner.split(".")
    return [".".join(parts[: depth + 1]) for depth in range(len(parts))]


def _resolver(project: Project) -> ImportResolver:
    if ("import-resolver",) not in project.derived:
        project.derived[("import-resolver",)] = ImportResolver(project)
    return project.derived[("import-resolver",)]


def imports(project: Project, file: SourceFile) -> bool:
    """pytest imports the module and its conftests: where one of their module-level imports fails
    (import-unresolved reports it), or their import reads a name nothing binds (a NameError), the
    module's tests are a collection error and never set up (asked once per module)."""
    key = ("imports", file.path)
    if key not in project.derived:
        resolver = _resolver(project)
        rootdir = file.config.rootdir
        folder = file.path.parent
        conftests = [
            conftest
            for other in (folder, *folder.parents)
            if other == rootdir or rootdir in other.parents
            if (conftest := project.source(other / "conftest.py")) is not None
        ]
        project.derived[key] = all(
            resolver.import_failure(source) is None and source.facts.unbound_name is None
            for source in (file, *conftests)
        )
    return project.derived[key]


def import_problem(project: Project, path: Path) -> Optional[str]:
    """Why importing the module at ``path`` fails: the first module-level import that fails
    (import-unresolved's reason) in it, in the packages above it (their ``__init__.py`` runs
    first), or in the modules of the tree these import, followed through; None when every one
    resolves or fixlint cannot tell (asked once per module). Strict, as a fix needs it: a name
    that is only a module somewhere in the tree, on none of the session's paths and not
    installed, fails too."""
    key = ("import-problem", path)
    if key not in project.derived:
        resolver = _resolver(project)
        problem = None
        seen: set[Path] = set()
        pending = [path]
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            source = project.source(current)
            if source is None or source.facts.syntax_error is not None:
                continue
            failing = resolver.import_failure(source, strict=True)
            if failing is not None:
                where = f"{from_rootdir(current, source.config.rootdir)}:{failing.line}"
                why = resolver.problem(source, failing, strict=True) or ""
                problem = f"{where}: {shown_in_message(why, source.config.rootdir)}"
                break
            folder = current.parent if current.name != "__init__.py" else current.parent.parent
            if fs.is_file(folder / "__init__.py"):
                pending.append(folder / "__init__.py")
            pending.extend(project.imported_files(source, unconditional=True))
        project.derived[key] = problem
    return project.derived[key]


def generates_tests(project: Project, test: TestItem) -> bool:
    """A ``pytest_generate_tests`` hook may parametrize the test (any of its arguments): one of
    its module or classes, or of a conftest of its folder or above (asked once per class)."""
    key = ("generates-tests", test.file.path, test.function.owner)
    if key not in project.derived:
        project.derived[key] = _generates_tests(project, test)
    return project.derived[key]


def _generates_tests(project: Project, test: TestItem) -> bool:
    file = test.file
    owners = {None, *lineage(test)}
    if any(function.name == GENERATE_TESTS and function.owner in owners for function in file.facts.functions):
        return True
    rootdir = file.config.rootdir
    folder = file.path.parent
    folders = [other for other in (folder, *folder.parents) if other == rootdir or rootdir in other.parents]
    return any(
        function.name == GENERATE_TESTS and function.owner is None
        for other in folders
        if (conftest := project.source(other / "conftest.py")) is not None
        for function in conftest.facts.functions
    )


def hidden_names(project: Project, test: TestItem) -> Optional[frozenset[str]]:
    """Names the modules the test sees fixtures of (its module, its conftests) bind by imports
    fixlint cannot follow (a package installed where the suite runs): fixtures of those names
    may exist that the model does not hold. None when a star import hides any name. Asked once
    per module."""
    key = ("hidden-names", test.file.path)
    if key not in project.derived:
        project.derived[key] = _hidden_names(project, test.file)
    return project.derived[key]


def _hidden_names(project: Project, file: SourceFile) -> Optional[frozenset[str]]:
    rootdir = file.config.rootdir
    folder = file.path.parent
    sources = [file] + [
        conftest
        for other in (folder, *folder.parents)
        if other == rootdir or rootdir in other.parents
        if (conftest := project.source(other / "conftest.py")) is not None
    ]
    hidden: set[str] = set()
    for source in sources:
        for imported in source.facts.imports:
            if [name for name, _ in imported.names] == [imported.module]:
                continue  # ``import x``: binds a module, not a fixture
            if project.resolve_import(source, imported.module, imported.level) is not None:
                continue
            if imported.star:
                return None
            hidden.update(bound for _, bound in imported.names)
    return frozenset(hidden)


def sees_every_definition(project: Project, test: TestItem, name: str) -> bool:
    """No import fixlint cannot follow may bind a fixture ``name`` for the test."""
    hidden = hidden_names(project, test)
    return hidden is not None and name not in hidden
