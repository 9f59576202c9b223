"""What fixlint cannot know of the plugins a suite runs with.

fixlint reads the plugins registered in the suite's environment as it finds it
(``fixlint.pytest_model.environment``). The suite may run in another: its dependency files may
name plugins that the one found does not have, and then fixlint cannot know every fixture."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from fixlint.files import fs
from fixlint.pytest_model.environment import PythonEnvironment, distributions, normalized

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib

# A requirement naming a pytest plugin: ``pytest-django==4.12``, ``pytest_mock[extra] ; ...``.
PLUGIN_REQUIREMENT_RE = re.compile(
    r"^\s*[\"']?(pytest[-_][A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*)\s*(?:\[[^\]]*\])?\s*(?:[<>=!~;@,\"' ]|$)"
)
# A whole requirement (``respx>=0.20 ; python_version>'3.8'``, a poetry key ``respx``), for the
# plugins not named ``pytest-*``: a sentence that begins with such a name is not one.
REQUIREMENT_RE = re.compile(
    r"^\s*[\"']?([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:(?:[<>=!~]=?|===)\s*[^;#\s\"']+\s*)?"
    r"(?:,\s*(?:[<>=!~]=?)\s*[^;#\s\"']+\s*)*(?:;[^#]*)?(?:#.*)?[\"']?\s*$"
)
# Distributions named otherwise than ``pytest-*`` whose plugin (a ``pytest11`` entry point)
# provides fixtures: a project that depends on one may use them (``respx_mock``, ``fs``).
OTHER_PLUGIN_DISTRIBUTIONS = frozenset(
    {"anyio", "faker", "pyfakefs", "requests-mock", "respx", "syrupy", "time-machine"}
)
# Where a project declares what it installs, beside its pytest configuration.
DEPENDENCY_FILES = ("pyproject.toml", "setup.cfg", "setup.py", "tox.ini", "Pipfile")
REQUIREMENTS_GLOBS = (
    "requirements*.txt",
    "*requirements.txt",
    "requirements/*.txt",
    "requirements/*.in",
    "requirements*.in",
)
# How far above the rootdir a project's dependency files may stand (a suite's pytest.ini in tests/).
PROJECT_LEVELS = 3


# -- what the project's configuration names ---------------------------------------------------
def missing_requirements(environment: PythonEnvironment, rootdir: Path) -> list[str]:
    """The pytest plugins the project's dependency files name that the environment lacks."""
    installed = {name for name, _ in distributions(environment)}
    missing = []
    for path in dependency_files(rootdir):
        for requirement in _plugin_requirements(path):
            if normalized(requirement) not in installed and requirement not in missing:
                missing.append(requirement)
    return missing


def dependency_files(rootdir: Path) -> Iterator[Path]:
    """Asked through the filesystem journal: the run cache holds while they say the same."""
    folder = rootdir
    for _ in range(PROJECT_LEVELS + 1):
        for name in DEPENDENCY_FILES:
            if fs.is_file(folder / name):
                yield folder / name
        for pattern in REQUIREMENTS_GLOBS:
            yield from (Path(match) for match in fs.glob(folder / pattern) if fs.is_file(Path(match)))
        if fs.exists(folder / ".git") or folder.parent == folder:
            return
        folder = folder.parent


def _plugin_requirements(path: Path) -> Iterator[str]:
    try:
        text = fs.read_bytes(path).decode("utf-8", errors="replace")
    except OSError:
        return
    if path.suffix == ".toml":
        try:
            yield from _requirements_in(_strings(tomllib.loads(text)))
        except tomllib.TOMLDecodeError:
            pass
        return
    yield from _requirements_in(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def _strings(value: Any) -> Iterator[str]:
    """Every string of a TOML document, keys included (poetry lists dependencies as keys)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _requirements_in(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        match = PLUGIN_REQUIREMENT_RE.match(line)
        if match:
            yield match.group(1)
            continue
        match = REQUIREMENT_RE.match(line)
        if match and is_plugin_distribution(match.group(1)):
            yield match.group(1)


def is_plugin_distribution(name: str) -> bool:
    """A distribution that registers a pytest plugin by its name alone: ``pytest-*``,
    ``*-pytest``, or one of the plugins named otherwise."""
    name = normalized(name)
    return name.startswith("pytest-") or name.endswith("-pytest") or name in OTHER_PLUGIN_DISTRIBUTIONS
