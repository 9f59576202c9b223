"""What a test's fixture requests depend on beyond the fixtures it sees: hooks that may
parametrize it, the classes it inherits from, and whether pytest can import its module."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from fixlint.modules import SourceFile
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


def imports(project: Project, file: SourceFile) -> bool:
    """pytest imports the module and its conftests: where one of their module-level imports fails
    (import-unresolved reports it), or their import reads a name nothing binds (a NameError), the
    module's tests are a collection error and never set up (asked once per module)."""
    key = ("imports", file.path)
    if key not in project.derived:
        if ("import-resolver",) not in project.derived:
            project.derived[("import-resolver",)] = ImportResolver(project)
        rootdir = file.config.rootdir
        folder = file.path.parent
        conftests = [
            conftest
            for other in (folder, *folder.parents)
            if other == rootdir or rootdir in other.parents
            if (conftest := project.source(other / "conftest.py")) is not None
        ]
        project.derived[key] = all(_import_problem(project, source) is None for source in (file, *conftests))
    return project.derived[key]


def import_problem(project: Project, path: Path) -> Optional[str]:
    """Why importing the module of the tree at ``path`` fails (a module-level import that
    import-unresolved reports, a name its import reads that nothing binds), or None."""
    source = project.source(path)
    return None if source is None else _import_problem(project, source)


def _import_problem(project: Project, source: SourceFile) -> Optional[str]:
    if ("import-resolver",) not in project.derived:
        project.derived[("import-resolver",)] = ImportResolver(project)
    failing = project.derived[("import-resolver",)].import_failure(source)
    if failing is not None:
        return f"line {failing.line}: `{'.' * failing.level}{failing.module}` does not resolve"
    if source.facts.unbound_name is not None:
        return f"its import reads `{source.facts.unbound_name}`, which nothing binds"
    return None


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
