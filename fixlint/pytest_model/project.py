"""The project pass's model: every file's facts, the holders pytest registers fixtures on, and
the tests pytest would collect, each with the chain of holders it sees."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from fnmatch import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, Protocol, Union

from fixlint.facts.model import ClassFact, FixtureFact, FunctionFact, KeywordValue, MarksFact
from fixlint.files import fs
from fixlint.modules import Loader, Modules, SourceFile, StringValue
from fixlint.pytest_model.collection import is_test_class, is_test_file, is_test_function
from fixlint.pytest_model.config import PytestConfig
from fixlint.pytest_model.environment import PythonEnvironment, running_environment
from fixlint.pytest_model.fixturedefs import FixtureDef, Holder, builtin_defs
from fixlint.pytest_model.installed import PluginFixture, installed_plugin_fixtures, module_fixtures
from fixlint.stopwatch import Stopwatch

if TYPE_CHECKING:
    from fixlint.pytest_model.analysis import Analysis
    from fixlint.pytest_model.closure import Resolution


class ViewStore(Protocol):
    """Where the fixture analysis of each test module is kept (``fixlint.pytest_model.stored_views.ViewsCache``)."""

    def get(self, key: str) -> Optional[Any]: ...

    def put(self, key: str, views: Any) -> None: ...


@dataclass
class TestItem:
    nodeid: str
    file: SourceFile
    function: FunctionFact
    # The marks of the classes it is in, innermost first, each followed by those of its bases
    # (pytest collects a class's marks along its MRO).
    class_marks: tuple[MarksFact, ...]
    chain: tuple[Holder, ...]  # session first, innermost class last
    base: int  # chain[:base] is the session's and the conftests' holders, shared by a whole folder

    @property
    def config(self) -> PytestConfig:
        return self.file.config

    def marks(self) -> Iterator[MarksFact]:
        """Closest first, as ``iter_markers`` walks from the item up."""
        yield self.function.marks
        yield from self.class_marks
        yield self.file.facts.module_marks


class Project(Modules):
    """The modules read, the holders of their fixtures, their tests, and what the rules derive
    from them once per run."""

    def __init__(
        self,
        files: dict[Path, SourceFile],
        loader: Loader,
        read: Callable[[Path], bytes],
        modules_under: Callable[[Path], list[Path]],
        views: Optional[ViewStore] = None,
        stopwatch: Optional[Stopwatch] = None,
        prefetch: Optional[Callable[[Sequence[Path]], None]] = None,
        environment: Optional[PythonEnvironment] = None,
    ) -> None:
        super().__init__(files, loader, read, stopwatch, prefetch)
        # Where the suite's plugins and third-party modules are installed.
        self.environment = environment or running_environment(Path.cwd())
        self.modules_under = modules_under  # every Python module below a folder, read or not
        self.views = views  # each module's fixture analysis, kept across runs
        self._holders: dict[object, Holder] = {}
        self._bindings: dict[Path, dict[str, FixtureDef]] = {}
        self._single: dict[tuple[Path, str], Optional[FixtureDef]] = {}  # one name a module binds
        self._tests: Optional[tuple[int, list[TestItem]]] = None  # (files read, their tests)
        # Computed once per run, for the rules that share them:
        self.analysis: Optional[Analysis] = None  # the fixture analysis of every test
        # Told how far the analysis of every test is (modules done, modules): a terminal shows it.
        self.progress: Callable[[int, int], None] = lambda done, total: None
        self.folder_resolutions: dict[tuple[int, ...], Resolution] = {}  # by the ids of a folder's holders
        # The resolutions of one module's chains, kept while its tests are read.
        self.module_resolutions: tuple[Optional[Path], dict[tuple[tuple[int, ...], frozenset[str]], Resolution]] = (
            None,
            {},
        )
        self.holder_signatures: dict[int, str] = {}  # for the views cache's keys, by holder id
        self.fact_indexes: dict[Path, dict[int, int]] = {}  # a fixture fact's index in its file, by id
        # What rule families derive once per run and ask again, by (what, of what).
        self.derived: dict[tuple, Any] = {}
        # What each fixture's non-literal scope and loop scope come to, by id(fact).
        self._arguments: dict[int, tuple[Optional[StringValue], Optional[StringValue]]] = {}

    # -- holders ---------------------------------------------------------------------
    def session_holder(self, config: PytestConfig) -> Holder:
        """pytest's own fixtures and those of the plugins its initial conftests name."""
        key = ("session", config.rootdir, config.testpaths, config.disabled_plugins)
        if key not in self._holders:
            holder = Holder(defs={name: list(defs) for name, defs in builtin_defs().items()})
            # The installed plugins' own reading replaces the table's where it tells the scope.
            for plugin_fixture in installed_plugin_fixtures(self.environment, config.disabled_plugins):
                if plugin_fixture.scope is not None or plugin_fixture.name not in holder.defs:
                    holder.defs[plugin_fixture.name] = [_installed_def(plugin_fixture)]
            for conftest in self._initial_conftests(config):
                for plugin in self._plugin_modules(conftest, config.rootdir):
                    if isinstance(plugin, str):  # installed, not in the tree
                        for plugin_fixture in module_fixtures(self.environment, plugin) or ():
                            holder.defs.setdefault(plugin_fixture.name, []).append(_installed_def(plugin_fixture))
                        continue
                    for fixturedef in self._module_bindings(plugin).values():
                        holder.defs.setdefault(fixturedef.name, []).append(fixturedef)
                        if fixturedef.fact and fixturedef.fact.autouse and fixturedef.name not in holder.autouse:
                            holder.autouse.append(fixturedef.name)
            self._holders[key] = holder
        return self._holders[key]

    def _initial_conftests(self, config: PytestConfig) -> Iterator[SourceFile]:
        """The conftests pytest loads before collecting, when run in the rootdir with no arguments:
        those from the rootdir down to each of ``testpaths`` (or the rootdir) and their ``test*``
        folders. The plugins their ``pytest_plugins`` name are registered for the whole session."""
        rootdir = config.rootdir
        anchors = [path for pattern in config.testpaths for path in _matching(rootdir, pattern)] or [rootdir]
        anchors += [folder for anchor in list(anchors) if fs.is_dir(anchor) for folder in _test_folders(anchor)]
        seen: set[Path] = set()
        for anchor in anchors:
            folder = anchor if fs.is_dir(anchor) else anchor.parent
            if folder != rootdir and rootdir not in folder.parents:
                continue
            for parent in (*reversed(folder.relative_to(rootdir).parents), folder.relative_to(rootdir)):
                path = rootdir / parent / "conftest.py"
                conftest = None if path in seen else self.source(path)
                seen.add(path)
                if conftest is not None:
                    yield conftest

    def module_holder(self, path: Path) -> Holder:
        key = ("module", path)
        if key not in self._holders:
            self._holders[key] = Holder.from_bindings(self._module_bindings(path))
        return self._holders[key]

    def class_holder(self, file: SourceFile, cls: ClassFact) -> Holder:
        key = ("class", file.path, cls.qualname)
        if key not in self._holders:
            bindings: dict[str, FixtureDef] = {}
            for klass in reversed(list(self._mro(file, cls))):
                for fact in file.fixtures_by_owner.get(klass.qualname, ()):
                    bindings[fact.func_name] = self.fixture_def(file, fact)
            self._holders[key] = Holder.from_bindings(bindings)
        return self._holders[key]

    def _mro(self, file: SourceFile, cls: ClassFact) -> Iterator[ClassFact]:
        """The class and its bases defined in the same module, nearest first."""
        seen: set[str] = set()
        pending = [cls]
        while pending:
            klass = pending.pop(0)
            if klass.qualname in seen:
                continue
            seen.add(klass.qualname)
            yield klass
            scope = klass.qualname.rpartition(".")[0]
            for base in klass.bases:
                base_class = self._class_named(file, base, scope)
                if base_class is not None:
                    pending.append(base_class)

    @staticmethod
    def _class_named(file: SourceFile, name: str, scope: str) -> Optional[ClassFact]:
        candidates = [f"{scope}.{name}", name] if scope else [name]
        return next((file.classes[candidate] for candidate in candidates if candidate in file.classes), None)

    def _module_bindings(self, path: Path, seen: Optional[set[Path]] = None) -> dict[str, FixtureDef]:
        """Attribute name -> fixture for a module's namespace: its own fixtures and imported ones,
        each bound as ``_binding_of`` binds it."""
        if path in self._bindings:
            return self._bindings[path]
        seen = seen or set()
        file = self.source(path)
        if file is None:
            return {}
        names = [fact.func_name for fact in file.fixtures_by_owner.get(None, ())]
        for imported in file.facts.imports:
            if not imported.star:
                names += [bound for _, bound in imported.names]
                continue
            target = self.resolve_import(file, imported.module, imported.level)
            if target is not None and target not in seen and target != path:
                names += [
                    name for name in self._module_bindings(target, seen | {path}) if self._star_exports(target, name)
                ]
        bindings = {}
        for name in dict.fromkeys(names):
            found = self._binding_of(path, name, seen)
            if found is not None:
                bindings[name] = found
        self._bindings[path] = bindings
        return bindings

    def _binding_of(self, path: Path, name: str, seen: set[Path]) -> Optional[FixtureDef]:
        """The fixture that ``from <module> import name`` binds: the module's own, or followed
        through the imports that bind the name, reading no module the name does not pass through
        (a test module's imports of application code are not read for their fixtures)."""
        if path in self._bindings:
            return self._bindings[path].get(name)
        key = (path, name)
        if key in self._single:
            return self._single[key]
        self._single[key] = None  # a cycle binds nothing
        file = self.source(path)
        found: Optional[FixtureDef] = None
        if file is not None:
            own = [fact for fact in file.fixtures_by_owner.get(None, ()) if fact.func_name == name]
            if own:
                found = self.fixture_def(file, own[-1])
            for imported in reversed(file.facts.imports) if found is None else ():
                target = self.resolve_import(file, imported.module, imported.level)
                if target is None or target in seen or target == path:
                    continue
                if imported.star:
                    found = self._module_bindings(target, seen | {path}).get(name)
                    found = found if self._star_exports(target, name) else None
                else:
                    original = next((n for n, bound in imported.names if bound == name), None)
                    named = self._binding_of(target, original, seen | {path}) if original is not None else None
                    found = _rebound(named, original, name) if named is not None and original is not None else None
                if found is not None:
                    break
        self._single[key] = found
        return found

    def _star_exports(self, path: Path, name: str) -> bool:
        """Whether ``from <module> import *`` binds ``name`` (one the module binds): the names of
        its literal ``__all__``, else those not starting with an underscore."""
        file = self.source(path)
        exports = None if file is None or file.facts.dynamic_names else file.facts.exports
        return name in exports if exports is not None else not name.startswith("_")

    def bound_in_branch(self, path: Path, name: str, seen: frozenset[Path] = frozenset()) -> bool:
        """Whether the fixture ``name`` of the module at ``path`` is bound only inside ``if`` or
        ``try`` blocks on its way there (its definitions, or the imports that pass it on, here or
        in the modules it comes through): some runs may then not bind it."""
        file = self.source(path)
        if file is None:
            return False
        ways: list[bool] = [
            bool(fact.branch) for fact in file.fixtures_by_owner.get(None, ()) if fact.func_name == name
        ]
        for imported in file.facts.imports:
            target = self.resolve_import(file, imported.module, imported.level)
            if target is None or target in seen or target == path:
                continue
            if imported.star:
                original: Optional[str] = name
                binds = name in self._module_bindings(target) and self._star_exports(target, name)
            else:
                original = next((n for n, bound in imported.names if bound == name), None)
                binds = original is not None and self._binding_of(target, original, set()) is not None
            if binds and original is not None:
                ways.append(imported.conditional or self.bound_in_branch(target, original, seen | {path}))
        return bool(ways) and all(ways)

    def provided_in_branch(self, directory: Path, rootdir: Path, fact: Optional[FixtureFact]) -> bool:
        """Whether the conftest nearest ``directory`` that provides the fixture of ``fact``
        binds it only inside an ``if`` or ``try`` block (see ``bound_in_branch``); a plugin's
        fixture (no fact) is bound where the plugin is registered."""
        folders = [directory, *directory.parents]
        if fact is None or rootdir not in folders:
            return False
        for folder in folders[: folders.index(rootdir) + 1]:
            conftest = folder / "conftest.py"
            bound = [name for name, found in self._module_bindings(conftest).items() if found.fact is fact]
            if bound:
                return all(self.bound_in_branch(conftest, name) for name in bound)
        return False

    def fixture_def(self, file: SourceFile, fact: FixtureFact) -> FixtureDef:
        """A registration of a fixture of ``file``, its scope and loop scope read from the
        constants they name where they are not literals (read once per fixture)."""
        arguments = self._arguments.get(id(fact))
        if arguments is None:
            arguments = self._arguments[id(fact)] = (
                self._argument(file, fact, fact.scope, formatted=False),
                # pytest-asyncio names the runner after it: ``f"_{loop_scope}_scoped_runner"``.
                self._argument(file, fact, fact.loop_scope, formatted=True),
            )
        return FixtureDef(fact.name, str(file.path), fact, None, *arguments)

    def _argument(
        self, file: SourceFile, fact: FixtureFact, argument: Optional[KeywordValue], formatted: bool
    ) -> Optional[StringValue]:
        if argument is None or argument.literal is not None or argument.expression is None:
            return None
        return self.string_value(file, argument.expression, fact.owner, fact.line, formatted)

    def _plugin_modules(self, conftest: SourceFile, rootdir: Path) -> Iterator[Union[Path, str]]:
        """The modules ``pytest_plugins`` names, and theirs in turn: a file of the tree, or the
        name of an installed module (read by ``fixlint.pytest_model.installed``)."""
        seen: set[Union[Path, str]] = set()
        pending = [(conftest, name) for name in conftest.facts.pytest_plugins]
        while pending:
            owner, name = pending.pop(0)
            path = self.resolve_import(owner, name, 0)
            if path is None:
                if name not in seen:
                    seen.add(name)
                    yield name
                continue
            if path in seen:
                continue
            seen.add(path)
            yield path
            plugin = self.source(path)
            if plugin is not None:
                pending.extend((plugin, nested) for nested in plugin.facts.pytest_plugins)

    # -- tests -------------------------------------------------------------------------
    def tests(self) -> list[TestItem]:
        """The tests of the files read so far, made once for each number of files read (files
        are only ever added): several rules read them."""
        if self._tests is None or self._tests[0] != len(self.files):
            with self.stopwatch.timing("tests and holders"):
                tests = self._collect()
            self._tests = (len(self.files), tests)  # counted after: collecting reads conftests
        return self._tests[1]

    def _collect(self) -> list[TestItem]:
        return [
            test
            for path in sorted(self.files)
            if is_test_module(file := self.files[path]) and file.facts.syntax_error is None
            for test in self._tests_in(file)
        ]

    def _tests_in(self, file: SourceFile) -> Iterator[TestItem]:
        rootdir = file.config.rootdir
        module_chain = (
            self.session_holder(file.config),
            *self.conftest_holders(file.path.parent, rootdir),
            self.module_holder(file.path),
        )
        try:
            relative = file.path.relative_to(rootdir).as_posix()
        except ValueError:
            relative = file.path.name
        for function in file.functions_by_owner.get(None, ()):
            if is_test_function(function.name, file.config):
                yield TestItem(f"{relative}::{function.name}", file, function, (), module_chain, len(module_chain) - 1)
        for cls in file.facts.classes:
            lineage = self._collected_lineage(file, cls, file.classes)
            if lineage is None:
                continue
            chain = module_chain + tuple(self.class_holder(file, klass) for klass in lineage)
            class_marks = tuple(base.marks for klass in reversed(lineage) for base in self._mro(file, klass))
            prefix = f"{relative}::{'::'.join(cls.qualname.split('.'))}"
            seen: set[str] = set()
            for klass in self._mro(file, cls):
                for function in file.functions_by_owner.get(klass.qualname, ()):
                    if function.name in seen:
                        continue
                    seen.add(function.name)
                    if is_test_function(function.name, file.config):
                        yield TestItem(
                            f"{prefix}::{function.name}", file, function, class_marks, chain, len(module_chain) - 1
                        )

    def _collected_lineage(
        self, file: SourceFile, cls: ClassFact, classes: dict[str, ClassFact]
    ) -> Optional[tuple[ClassFact, ...]]:
        """The class and the classes it nests in, when pytest collects it; None otherwise."""
        parts = cls.qualname.split(".")
        lineage = []
        for depth in range(1, len(parts) + 1):
            klass = classes.get(".".join(parts[:depth]))
            if klass is None or klass.has_init or not is_test_class(parts[depth - 1], file.config):
                return None
            lineage.append(klass)
        return tuple(lineage)

    def conftest_holders(self, directory: Path, rootdir: Path) -> list[Holder]:
        """Conftest holders from the rootdir down to ``directory``."""
        try:
            relative = directory.relative_to(rootdir)
        except ValueError:
            return []
        holders = []
        current = rootdir
        for part in ("", *relative.parts):
            current = current / part if part else current
            conftest = current / "conftest.py"
            if self.source(conftest) is not None:
                holders.append(self.module_holder(conftest))
        return holders

    def fixture_facts(self) -> Iterator[tuple[SourceFile, FixtureFact]]:
        for path in sorted(self.files):
            for fact in self.files[path].facts.fixtures:
                yield self.files[path], fact


def _installed_def(fixture: PluginFixture) -> FixtureDef:
    """An installed plugin's fixture: its scope read, its requests not (it is not the project's
    to edit, and pytest's own checks of it are the plugin's)."""
    return FixtureDef(fixture.name, "", None, fixture.scope, plugin=fixture.module)


def _rebound(fixturedef: FixtureDef, name: str, bound: str) -> FixtureDef:
    """An imported fixture is registered under the name it is bound to, unless it has ``name=``."""
    if bound == name or fixturedef.fact is None or fixturedef.fact.name != fixturedef.fact.func_name:
        return fixturedef
    return replace(fixturedef, name=bound)


def _matching(rootdir: Path, pattern: str) -> list[Path]:
    """The paths a ``testpaths`` entry names (a glob, part by part), asked through the journal."""
    found = [rootdir]
    for part in Path(pattern).parts:
        if not any(character in part for character in "*?["):
            found = [path / part for path in found if fs.is_dir(path / part) or fs.is_file(path / part)]
            continue
        found = [
            entry.path for path in found if fs.is_dir(path) for entry in fs.scandir(path) if fnmatch(entry.name, part)
        ]
    return sorted(found)


def _test_folders(anchor: Path) -> list[Path]:
    """pytest also loads the conftests of an anchor's ``test*`` folders early."""
    return sorted(entry.path for entry in fs.scandir(anchor) if entry.is_dir and entry.name.startswith("test"))


def is_test_module(file: SourceFile) -> bool:
    return not file.is_conftest and is_test_file(file.path, file.config)
