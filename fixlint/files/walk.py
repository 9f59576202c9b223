"""Which files fixlint reads: a walk of the folders named, skipping what every Python tool
skips (VCS folders, virtual environments, build output, caches) and the user's ``exclude``
globs. What a folder keeps is the caller's to say (pytest's ``python_files`` for tests)."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from fixlint.files import fs

SKIPPED_DIRS = {
    ".git",
    ".hg",
    ".svn",
    "_darcs",
    "CVS",
    "{arch}",
    "__pycache__",
    "node_modules",
    "build",
    "dist",
    "venv",
    ".venv",
    "env",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".fixlint_cache",
    "site-packages",
}
# A folder -> whether one of its .py files is read.
Keeps = Callable[[Path], Callable[[Path], bool]]
# A path -> whether the user's ``exclude`` globs (of the settings that govern it) leave it out.
Excluded = Callable[[Path], bool]


def nothing_excluded(path: Path) -> bool:
    return False


@dataclass(frozen=True)
class WalkProblem:
    path: Path
    message: str


def is_excluded(path: Path, exclude: Sequence[str], project_root: Path) -> bool:
    if not exclude:
        return False
    try:
        relative = path.relative_to(project_root).as_posix()
    except ValueError:
        relative = path.as_posix()
    return any(
        fnmatch.fnmatch(relative, pattern)
        or fnmatch.fnmatch(path.name, pattern)
        or fnmatch.fnmatch(relative, f"{pattern.rstrip('/')}/*")
        for pattern in exclude
    )


def _is_virtualenv(directory: Path) -> bool:
    return (
        fs.is_file(directory / "pyvenv.cfg")
        or fs.is_file(directory / "bin" / "activate")
        or fs.is_file(directory / "Scripts" / "activate")
    )


def walk(top: Path, keeps: Keeps, excluded: Excluded, problems: list[WalkProblem]) -> set[Path]:
    """The .py files under ``top`` that their folder ``keeps`` and the user has not ``excluded``
    (a folder excluded is not entered); what cannot be read goes to ``problems``."""
    found: set[Path] = set()
    seen_dirs: set[str] = set()
    pending = [top]
    links: list[Path] = []  # symlinked folders, walked after every real one
    while pending or links:
        directory = pending.pop() if pending else links.pop(0)
        real = fs.realpath(directory)
        if real in seen_dirs:
            problems.append(
                WalkProblem(directory, "folder already visited through a symlink (a symlink loop?); skipped")
            )
            continue
        seen_dirs.add(real)
        try:
            entries = fs.scandir(directory)
        except OSError as error:
            problems.append(WalkProblem(directory, f"cannot read folder: {error.strerror or error}"))
            continue
        kept = keeps(directory)
        for entry in entries:
            path = entry.path
            if excluded(path):
                continue
            if entry.error is not None:
                problems.append(WalkProblem(path, f"cannot read: {entry.error}"))
                continue
            if entry.is_dir:
                if _skipped_folder(path):
                    continue
                (links if entry.is_symlink else pending).append(path)
            elif entry.is_file and entry.name.endswith(".py"):
                if kept(path):
                    found.add(path)
            elif entry.is_symlink and not entry.is_file and not entry.is_dir and entry.name.endswith(".py"):
                problems.append(WalkProblem(path, "dangling symlink"))
    return found


def _skipped_folder(path: Path) -> bool:
    return (
        path.name in SKIPPED_DIRS
        or path.name.startswith(".")
        or path.name.endswith(".egg-info")
        or _is_virtualenv(path)
    )


def in_walk(directory: Path, top: Path) -> bool:
    """The walk of ``top`` reads ``directory``: it is ``top`` or under it, in no folder the walk skips."""
    try:
        parts = directory.relative_to(top).parts
    except ValueError:
        return False
    folder = top
    for part in parts:
        folder = folder / part
        if _skipped_folder(folder):
            return False
    return True
