"""What pytest collects: test modules, classes and functions by its ``python_*`` options, the
files a run reads (test modules and every ``conftest.py``), and paths as pytest shows them."""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Callable

from fixlint.files import fs
from fixlint.files.walk import Excluded, WalkProblem, in_walk, nothing_excluded, walk
from fixlint.pytest_model.config import ConfigFinder, PytestConfig


def _fnmatch_ex(pattern: str, path: Path) -> bool:
    """pytest's ``fnmatch_ex``: a pattern without a separator matches the file name."""
    if "/" not in pattern and os.sep not in pattern:
        return fnmatch.fnmatch(path.name, pattern)
    name = path.as_posix()
    if path.is_absolute() and not os.path.isabs(pattern):
        pattern = f"*/{pattern}"
    return fnmatch.fnmatch(name, pattern)


# Folders of test code: ``tests``, ``testing``, ``test_framework``, ``integration_tests``.
TEST_FOLDER = re.compile(r"^(?:tests?|testing)$|^tests?_|_tests?$", re.I)


def is_test_code(path: Path, config: PytestConfig, extra: Sequence[str] = ()) -> bool:
    """A test module, a conftest, a module in a folder of tests (below the rootdir), or one that
    ``extra`` globs name (``in_suite``'s globs)."""
    if path.name == "conftest.py" or is_test_file(path, config):
        return True
    folders = from_rootdir(path, config.rootdir).split("/")[:-1]
    return any(TEST_FOLDER.search(folder) for folder in folders) or in_suite(path, config.rootdir, extra)


# Files no collector makes items of: Python source and bytecode (pytest's own collector makes a
# test module's), and the files pytest reads as its configuration.
NOT_ITEMS_SUFFIXES = (".py", ".pyi", ".pyc")
CONFIG_FILES = frozenset({"pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg"})


def holds_other_items(folder: Path) -> bool:
    """A file under ``folder`` (in no folder pytest skips) that another collector than pytest's
    Python one may make items of: a plugin's Markdown or YAML tests, ``test*.txt`` doctests.
    pytest offers every file to ``pytest_collect_file``, and an autouse fixture of a conftest
    applies to every item under its folder, whichever plugin made it."""
    pending = [folder]
    while pending:
        directory = pending.pop()
        try:
            names = fs.other_files(directory)
            entries = fs.scandir(directory)
        except OSError:
            continue
        if any(
            not (name.endswith(NOT_ITEMS_SUFFIXES) or name.startswith(".") or name in CONFIG_FILES) for name in names
        ):
            return True
        pending += [
            entry.path
            for entry in entries
            if entry.is_dir and not entry.is_symlink and in_walk(entry.path, directory)  # a link may loop
        ]
    return False


def in_testpaths(path: Path, config: PytestConfig) -> bool:
    """Whether ``pytest`` run in the rootdir with no arguments collects the path: it lies under
    one of ``testpaths`` (globs, as pytest reads them), or there are none."""
    if not config.testpaths:
        return True
    parts = from_rootdir(path, config.rootdir).split("/")
    return any(
        fnmatch.fnmatch("/".join(parts[: len(Path(pattern).parts)]), Path(pattern).as_posix())
        for pattern in config.testpaths
    )


def is_test_file(path: Path, config: PytestConfig) -> bool:
    return any(_fnmatch_ex(pattern, path) for pattern in config.python_files)


def _prefix_or_glob(name: str, patterns: Sequence[str]) -> bool:
    return any(
        name.startswith(pattern) or (any(c in pattern for c in "*?[") and fnmatch.fnmatch(name, pattern))
        for pattern in patterns
    )


def is_test_class(name: str, config: PytestConfig) -> bool:
    return _prefix_or_glob(name, config.python_classes)


def is_test_function(name: str, config: PytestConfig) -> bool:
    return _prefix_or_glob(name, config.python_functions)


def default_targets(cwd: Path, finder: ConfigFinder) -> list[Path]:
    """What ``pytest`` with no arguments collects: ``testpaths`` when run from the rootdir."""
    config = finder.governing(cwd)
    if config.rootdir != cwd or not config.testpaths:
        return [cwd]
    targets = sorted({match for pattern in config.testpaths for match in cwd.glob(pattern)})
    return [Path(os.path.abspath(target)) for target in targets] or [cwd]


def from_rootdir(path: Path, rootdir: Path) -> str:
    """The path as pytest shows it (node ids, messages): from the rootdir, else as it is."""
    try:
        return path.relative_to(rootdir).as_posix()
    except ValueError:
        return path.as_posix()


def in_suite(path: Path, rootdir: Path, patterns: Sequence[str]) -> bool:
    """Suite globs of the rule families: one without ``/`` matches the file name
    (``*websocket*``); one with ``/`` the path from the rootdir (``**/mission_critical/**``)."""
    relative = from_rootdir(path, rootdir)
    return any(
        fnmatch.fnmatch(path.name, pattern)
        if "/" not in pattern
        else fnmatch.fnmatch(f"/{relative}", pattern) or fnmatch.fnmatch(relative, pattern)
        for pattern in patterns
    )


def iter_source_files(
    paths: Sequence[Path], finder: ConfigFinder, excluded: Excluded, problems: list[WalkProblem]
) -> Iterator[Path]:
    """Test files (by the governing ``python_files``) and conftest.py files under ``paths``;
    a .py file named explicitly is always read. Absolute paths, sorted, each once."""
    found: set[Path] = set()
    for path in paths:
        if fs.is_symlink(path) and not fs.exists(path):
            problems.append(WalkProblem(path, "dangling symlink"))
        elif fs.is_file(path):
            if path.suffix == ".py":
                found.add(path)
        elif fs.is_dir(path):
            found.update(walk(path, functools.partial(_test_modules, finder), excluded, problems))
    yield from sorted(found)


def iter_modules(top: Path, finder: ConfigFinder) -> list[Path]:
    """Every Python module under ``top``, test or not, skipping what the test walk skips."""
    return sorted(walk(top, lambda directory: _every_module, nothing_excluded, []))


def _test_modules(finder: ConfigFinder, directory: Path) -> Callable[[Path], bool]:
    config = finder.governing(directory)
    return lambda path: path.name == "conftest.py" or is_test_file(path, config)


def _every_module(path: Path) -> bool:
    return True
