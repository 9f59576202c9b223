"""What a test's fixture requests depend on beyond the fixtures it sees: hooks that may
parametrize it, and the classes it inherits from."""

from __future__ import annotations

from fixlint.pytest_model.project import Project, TestItem

GENERATE_TESTS = "pytest_generate_tests"


def lineage(test: TestItem) -> list[str]:
    """The qualnames of the classes the test is in, outermost first."""
    owner = test.function.owner
    if owner is None:
        return []
    parts = owner.split(".")
    return [".".join(parts[: depth + 1]) for depth in range(len(parts))]


def generates_tests(project: Project, test: TestItem) -> bool:
    """A ``pytest_generate_tests`` hook may parametrize the test (any of its arguments): one of
    its module or classes, or of a conftest of its folder or above."""
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
