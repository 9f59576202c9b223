"""The fixtures pytest plugins provide, read statically, and what fixlint cannot know of them.

fixlint reads the plugins registered in the environment it runs in (``pytest11`` entry points)
with its own reader: their modules are found on ``sys.path`` and never imported. The suite may
run in another environment: its configuration may name plugins (``-p``, ``pytest_plugins``,
dependencies) that this one does not have, and then fixlint cannot know every fixture."""

from __future__ import annotations

import functools
import importlib.machinery
import re
import sys
from collections.abc import Iterable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any, Optional

from fixlint.errors import ConfigError
from fixlint.facts.model import FileFacts
from fixlint.facts.reader import read_facts
from fixlint.pytest_model.config import ConfigFileError, load_config_file

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib

# A requirement naming a pytest plugin: ``pytest-django==4.12``, ``pytest_mock[extra] ; ...``.
PLUGIN_REQUIREMENT_RE = re.compile(
    r"^\s*[\"']?(pytest[-_][A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*)\s*(?:\[[^\]]*\])?\s*(?:[<>=!~;@,\"' ]|$)"
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


def normalized(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


@functools.cache
def installed_distributions() -> frozenset[str]:
    return frozenset(normalized(dist.metadata["Name"] or "") for dist in metadata.distributions())


@functools.cache
def installed_plugin_fixtures() -> frozenset[str]:
    """The fixtures of every plugin registered in this environment, read from their modules."""
    names: set[str] = set()
    for entry_point in metadata.entry_points(group="pytest11"):
        module = entry_point.value.partition(":")[0].strip()
        names |= module_fixtures(module) or frozenset()
    return frozenset(names)


@functools.cache
def module_fixtures(module: str) -> Optional[frozenset[str]]:
    """The fixtures an installed module registers as a plugin (its own, those it imports, those of
    its ``pytest_plugins``); None when it cannot be found on ``sys.path`` or is not Python source."""
    return _plugin_fixtures(module, set())


def _plugin_fixtures(module: str, seen: set[str]) -> Optional[frozenset[str]]:
    seen.add(module)
    path = module_file(module)
    facts = _facts(path) if path is not None else None
    if path is None or facts is None:
        return None
    names = set(_bindings(path, module, set()).values())
    for plugin in facts.pytest_plugins:
        if plugin not in seen:
            names |= _plugin_fixtures(plugin, seen) or frozenset()
    return frozenset(names)


def module_file(module: str) -> Optional[Path]:
    """The source file of an installed module, found as the import system would, without
    importing it or its packages."""
    spec = None
    parts = module.split(".")
    for depth in range(len(parts)):
        locations: Optional[list[str]] = None
        if depth:
            if spec is None or spec.submodule_search_locations is None:
                return None
            locations = list(spec.submodule_search_locations)
        try:
            spec = importlib.machinery.PathFinder.find_spec(".".join(parts[: depth + 1]), locations)
        except (ImportError, ValueError):
            return None
        if spec is None:
            return None
    origin = spec.origin if spec is not None else None
    return Path(origin) if origin and origin.endswith(".py") else None


def _facts(path: Path) -> Optional[FileFacts]:
    try:
        facts = read_facts(str(path), path.read_bytes())
    except OSError:
        return None
    return None if facts.syntax_error is not None else facts


def _bindings(path: Path, module: str, seen: set[Path]) -> dict[str, str]:
    """Attribute -> fixture name of a module's namespace, as the project's ``_module_bindings``
    makes it for the tree's modules."""
    seen.add(path)
    facts = _facts(path)
    if facts is None:
        return {}
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    bindings: dict[str, str] = {}
    for imported in facts.imports:
        if imported.level:
            base = package.rsplit(".", imported.level - 1)[0] if imported.level > 1 else package
            target = f"{base}.{imported.module}" if imported.module else base
        else:
            target = imported.module
        # A plugin re-exports fixtures of its own package: other packages are not read.
        if not target or target.partition(".")[0] != module.partition(".")[0]:
            continue
        target_path = module_file(target)
        if target_path is None or target_path in seen:
            continue
        exported = _bindings(target_path, target, seen)
        if imported.star:
            bindings.update({name: bound for name, bound in exported.items() if not name.startswith("_")})
        for name, bound in imported.names:
            if name in exported:
                bindings[bound] = exported[name]
    for fact in facts.fixtures:
        if fact.owner is None:
            bindings[fact.func_name] = fact.name
    return bindings


# -- what the project's configuration names ---------------------------------------------------
def option_plugins(inifile: Optional[Path]) -> list[str]:
    """The plugins ``-p`` loads in the config's ``addopts`` (``-p no:x`` disables one)."""
    if inifile is None:
        return []
    try:
        values = load_config_file(inifile) or {}
    except (ConfigFileError, ConfigError, OSError):
        return []
    addopts = values.get("addopts", "")
    words = [str(word) for word in addopts] if isinstance(addopts, list) else str(addopts).split()
    plugins = []
    for index, word in enumerate(words):
        if word == "-p" and index + 1 < len(words):
            plugins.append(words[index + 1])
        elif word.startswith("-p") and len(word) > 2:
            plugins.append(word[2:])
    return [plugin for plugin in plugins if not plugin.startswith("no:")]


def missing_requirements(rootdir: Path) -> list[str]:
    """The pytest plugins the project's dependency files name that this environment lacks."""
    installed = installed_distributions()
    missing = []
    for path in dependency_files(rootdir):
        for requirement in _plugin_requirements(path):
            if normalized(requirement) not in installed and requirement not in missing:
                missing.append(requirement)
    return missing


def dependency_files(rootdir: Path) -> Iterator[Path]:
    folder = rootdir
    for _ in range(PROJECT_LEVELS + 1):
        for name in DEPENDENCY_FILES:
            if (folder / name).is_file():
                yield folder / name
        for pattern in REQUIREMENTS_GLOBS:
            yield from sorted(path for path in folder.glob(pattern) if path.is_file())
        if (folder / ".git").exists() or folder.parent == folder:
            return
        folder = folder.parent


def _plugin_requirements(path: Path) -> Iterator[str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
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
