"""The pytest plugins installed in the suite's environment (``fixlint.pytest_model.environment``),
read statically: the ``pytest11`` entry points of its distributions, their modules found on its
``sys.path`` as the import system finds them and read with fixlint's own reader (never imported),
and the fixtures they register, with the scopes their decorators give."""

from __future__ import annotations

import functools
import importlib.machinery
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Optional

from fixlint.facts.model import FileFacts, FixtureFact
from fixlint.facts.reader import read_facts
from fixlint.files import fs
from fixlint.pytest_model.environment import PythonEnvironment, distributions
from fixlint.pytest_model.scope import Scope


@dataclass(frozen=True)
class PluginFixture:
    """A fixture an installed plugin registers: its name, its scope (None: the decorator's
    scope is not a literal fixlint reads) and the module that defines it."""

    name: str
    scope: Optional[Scope]
    module: str


@dataclass(frozen=True)
class EntryPoint:
    name: str  # what ``-p no:<name>`` blocks
    module: str
    distribution: str
    version: str


@functools.cache
def plugin_entry_points(environment: PythonEnvironment) -> tuple[EntryPoint, ...]:
    """The ``pytest11`` entry points pytest would load in the environment, in a stable order (the
    first distribution of a name on its ``sys.path`` wins, as ``importlib.metadata`` has it)."""
    found = set()
    seen: set[str] = set()
    for dist in metadata.distributions(path=list(environment.path)):
        name = dist.metadata["Name"] or ""
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        for entry_point in dist.entry_points:
            if entry_point.group == "pytest11":
                module = entry_point.value.partition(":")[0].strip()
                found.add(EntryPoint(entry_point.name, module, name, dist.version or ""))
    return tuple(sorted(found, key=lambda point: (point.name, point.module, point.distribution)))


def environment_key(environment: PythonEnvironment) -> tuple:
    """What of the environment fixlint's findings rest on: where it is, the plugins registered,
    and every distribution installed with its version (an import is judged against them)."""
    return (environment.location, environment.path, plugin_entry_points(environment), distributions(environment))


@functools.cache
def installed_plugin_fixtures(
    environment: PythonEnvironment, disabled: tuple[str, ...] = ()
) -> tuple[PluginFixture, ...]:
    """The fixtures of every plugin registered here but those ``-p no:<name>`` blocks (by their
    entry point's name or module), in the order pytest registers the plugins."""
    fixtures: dict[str, PluginFixture] = {}
    for entry_point in plugin_entry_points(environment):
        if entry_point.name in disabled or entry_point.module in disabled:
            continue
        fixtures.update((fixture.name, fixture) for fixture in module_fixtures(environment, entry_point.module) or ())
    return tuple(fixtures.values())


@functools.cache
def module_fixtures(environment: PythonEnvironment, module: str) -> Optional[tuple[PluginFixture, ...]]:
    """The fixtures an installed module registers as a plugin (its own, those it imports from
    its package, those of its ``pytest_plugins``); None when it cannot be found on the
    environment's ``sys.path`` or is not Python source."""
    return _plugin_fixtures(environment, module, set())


def _plugin_fixtures(
    environment: PythonEnvironment, module: str, seen: set[str]
) -> Optional[tuple[PluginFixture, ...]]:
    seen.add(module)
    path = module_file(environment, module)
    facts = _facts(path) if path is not None else None
    if path is None or facts is None:
        return None
    fixtures = {fixture.name: fixture for fixture in _bindings(environment, path, module, {}).values()}
    for plugin in facts.pytest_plugins:
        if plugin not in seen:
            fixtures.update((fixture.name, fixture) for fixture in _plugin_fixtures(environment, plugin, seen) or ())
    return tuple(fixtures.values())


def module_file(environment: PythonEnvironment, module: str) -> Optional[Path]:
    """The source file of an installed module, found as the import system would (an editable
    install's mapping first, then the environment's ``sys.path``), without importing it."""
    parts = module.split(".")
    mapped = dict(environment.editable).get(parts[0])
    locations, origin, start = list(environment.path), None, 0
    if mapped is not None:
        top = Path(mapped).parent if Path(mapped).name == "__init__.py" else Path(mapped)
        if not top.is_dir():
            return top if len(parts) == 1 and top.suffix == ".py" else None
        locations, origin, start = [str(top)], str(top / "__init__.py"), 1
    for depth in range(start, len(parts)):
        name = ".".join(parts[: depth + 1])
        try:
            spec = importlib.machinery.PathFinder.find_spec(name, locations)
        except KeyError:
            # A namespace folder below a package: the import system asks sys.modules for the
            # parent, which is not imported here. Its search path is its folder in each location.
            spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
            spec.submodule_search_locations = [
                str(Path(location, parts[depth])) for location in locations if Path(location, parts[depth]).is_dir()
            ]
        except (ImportError, ValueError):
            return None
        if spec is None or (depth < len(parts) - 1 and spec.submodule_search_locations is None):
            return None
        locations, origin = list(spec.submodule_search_locations or []), spec.origin
    return Path(origin) if origin and origin.endswith(".py") else None


@functools.cache
def _facts(path: Path) -> Optional[FileFacts]:
    try:
        facts = read_facts(str(path), fs.read_bytes(path))
    except OSError:
        return None
    return None if facts.syntax_error is not None else facts


def _bindings(
    environment: PythonEnvironment, path: Path, module: str, done: dict[Path, dict[str, PluginFixture]]
) -> dict[str, PluginFixture]:
    """Attribute -> fixture of a module's namespace, as the project's ``_module_bindings``
    makes it for the tree's modules. ``done``: the modules read so far (one read each; a module
    still being read, in an import cycle, gives what it has bound so far)."""
    bindings: dict[str, PluginFixture] = {}
    done[path] = bindings
    facts = _facts(path)
    if facts is None:
        return bindings
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for imported in facts.imports:
        if imported.level:
            base = package.rsplit(".", imported.level - 1)[0] if imported.level > 1 else package
            target = f"{base}.{imported.module}" if imported.module else base
        else:
            target = imported.module
        # A plugin re-exports fixtures of its own package: other packages are not read.
        if not target or target.partition(".")[0] != module.partition(".")[0]:
            continue
        target_path = module_file(environment, target)
        if target_path is None:
            continue
        exported = done[target_path] if target_path in done else _bindings(environment, target_path, target, done)
        if imported.star:
            bindings.update({name: bound for name, bound in exported.items() if not name.startswith("_")})
        for name, bound in imported.names:
            if name in exported:
                bindings[bound] = exported[name]
    for fact in facts.fixtures:
        if fact.owner is None:
            bindings[fact.func_name] = PluginFixture(fact.name, _literal_scope(fact), module)
    return bindings


def _literal_scope(fact: FixtureFact) -> Optional[Scope]:
    if fact.scope is None:
        return Scope.FUNCTION
    return Scope.parse(fact.scope.literal) if fact.scope.literal is not None else None
