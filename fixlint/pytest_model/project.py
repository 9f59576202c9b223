"""The project pass's model: every file's facts, the holders pytest registers fixtures on, and
the tests pytest would collect, each with the chain of holders it sees."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Protocol, TypeVar, Union

from fixlint.files import fs
from fixlint.pytest_model.collection import is_test_class, is_test_file, is_test_function
from fixlint.pytest_model.config import PytestConfig
from fixlint.facts.model import ClassFact, FileFacts, FixtureFact, FunctionBody, FunctionFact, MarksFact
from fixlint.pytest_model.fixturedefs import FixtureDef, Holder, builtin_defs

# How many imports a name is followed through before fixlint gives up on it.
MAX_REEXPORTS = 50
# Reads a file that the tree's fixtures depend on (a helper module, a plugin) on demand.
Loader = Callable[[Path], Optional["SourceFile"]]


@dataclass
class SourceFile:
    path: Path
    facts: FileFacts
    config: PytestConfig
    digest: str = ""  # of the facts (``fixlint.facts.store.facts_digest``); "" when not known

    @property
    def is_conftest(self) -> bool:
        return self.path.name == "conftest.py"

    # Indexes of the facts, so that a module of many thousand tests is read in linear time.
    @functools.cached_property
    def classes(self) -> dict[str, ClassFact]:
        return {cls.qualname: cls for cls in self.facts.classes}

    @functools.cached_property
    def bodies(self) -> dict[str, FunctionBody]:
        return {body.qualname: body for body in self.facts.bodies}

    @functools.cached_property
    def functions_by_owner(self) -> dict[Optional[str], list[FunctionFact]]:
        return _by_owner(self.facts.functions)

    @functools.cached_property
    def fixtures_by_owner(self) -> dict[Optional[str], list[FixtureFact]]:
        return _by_owner(self.facts.fixtures)

    @property
    def is_test_module(self) -> bool:
        return not self.is_conftest and is_test_file(self.path, self.config)

    def marks_around(self, function: Optional[str]) -> Iterator[MarksFact]:
        """The marks of the module, and of the classes and the function that ``function`` (a
        qualname, ``Class.test`` or ``test.inner``) stands in: what a test there carries."""
        yield self.facts.module_marks
        if function is None:
            return
        parts = function.split(".")
        for depth in range(1, len(parts) + 1):
            qualname = ".".join(parts[:depth])
            if qualname in self.classes:
                yield self.classes[qualname].marks
                continue
            owner = ".".join(parts[: depth - 1]) or None
            for fact in self.functions_by_owner.get(owner, ()):
                if fact.name == parts[depth - 1]:
                    yield fact.marks
            return


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


@dataclass
class Project:
    files: dict[Path, SourceFile]
    loader: Loader
    read: Callable[[Path], bytes]  # a file's bytes as the run sees them (the fix loop's, once changed)
    modules_under: Callable[[Path], list[Path]]  # every Python module below a folder, read or not
    # Derived data the rules share (such as each test's requests), computed once per run.
    derived: dict[object, object] = field(default_factory=dict)
    views: Optional[ViewStore] = None  # each module's fixture analysis, kept across runs
    _holders: dict[object, Holder] = field(default_factory=dict)
    _bindings: dict[Path, dict[str, FixtureDef]] = field(default_factory=dict)
    _resolved: dict[tuple[Path, str], Optional[tuple[Path, str]]] = field(default_factory=dict)
    _imports: dict[tuple, Optional[Path]] = field(default_factory=dict)  # resolve_import's answers
    _imports_followed: set[Path] = field(default_factory=set)  # files load_imported_modules has read
    _tests: Optional[tuple[int, list[TestItem]]] = None  # (files read, their tests)

    # -- holders ---------------------------------------------------------------------
    def session_holder(self, rootdir: Path) -> Holder:
        key = ("session", rootdir)
        if key not in self._holders:
            holder = Holder(defs={name: list(defs) for name, defs in builtin_defs().items()})
            root_conftest = self.source(rootdir / "conftest.py")
            for plugin in self._plugin_modules(root_conftest, rootdir) if root_conftest else []:
                for fixturedef in self._module_bindings(plugin).values():
                    holder.defs.setdefault(fixturedef.name, []).append(fixturedef)
                    if fixturedef.fact and fixturedef.fact.autouse and fixturedef.name not in holder.autouse:
                        holder.autouse.append(fixturedef.name)
            self._holders[key] = holder
        return self._holders[key]

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
                    bindings[fact.func_name] = FixtureDef(fact.name, str(file.path), fact)
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

    # -- files and imports -----------------------------------------------------------
    def source(self, path: Path) -> Optional[SourceFile]:
        if path in self.files:
            return self.files[path]
        if not fs.is_file(path):
            return None
        file = self.loader(path)
        if file is not None:
            self.files[path] = file
        return file

    def _module_bindings(self, path: Path, seen: Optional[set[Path]] = None) -> dict[str, FixtureDef]:
        """Attribute name -> fixture for a module's namespace: its own fixtures and imported ones."""
        if path in self._bindings:
            return self._bindings[path]
        seen = (seen or set()) | {path}
        file = self.source(path)
        bindings: dict[str, FixtureDef] = {}
        if file is None:
            return bindings
        for imported in file.facts.imports:
            target = self.resolve_import(file, imported.module, imported.level)
            if target is None or target in seen:
                continue
            exported = self._module_bindings(target, seen)
            if imported.star:
                for attribute, fixturedef in exported.items():
                    if not attribute.startswith("_"):
                        bindings[attribute] = fixturedef
                continue
            for name, bound in imported.names:
                fixturedef = exported.get(name)
                if fixturedef is not None:
                    bindings[bound] = _rebound(fixturedef, name, bound)
        for fact in file.facts.fixtures:
            if fact.owner is None:
                bindings[fact.func_name] = FixtureDef(fact.name, str(path), fact)
        self._bindings[path] = bindings
        return bindings

    def resolve_import(self, file: SourceFile, module: str, level: int) -> Optional[Path]:
        """The file in the tree that ``import module`` names, as pytest's prepend import mode finds it."""
        key = (file.path.parent, file.config.rootdir, file.config.pythonpath, module, level)
        if key not in self._imports:
            self._imports[key] = self._find_module(file, module, level)
        return self._imports[key]

    def _find_module(self, file: SourceFile, module: str, level: int) -> Optional[Path]:
        parts = [part for part in module.split(".") if part]
        if level:
            base = file.path.parent
            for _ in range(level - 1):
                base = base.parent
            bases = [base]
        else:
            bases = [_package_root(file.path.parent), file.config.rootdir, *file.config.pythonpath]
        for base in bases:
            candidate = base.joinpath(*parts)
            for path in (candidate.with_suffix(".py") if parts else None, candidate / "__init__.py"):
                if path is not None and fs.is_file(path):
                    return path
        return None

    def _plugin_modules(self, conftest: SourceFile, rootdir: Path) -> Iterator[Path]:
        seen: set[Path] = set()
        pending = [(conftest, name) for name in conftest.facts.pytest_plugins]
        while pending:
            owner, name = pending.pop(0)
            path = self.resolve_import(owner, name, 0)
            if path is None or path in seen:
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
            tests = [
                test
                for path in sorted(self.files)
                if (file := self.files[path]).is_test_module and file.facts.syntax_error is None
                for test in self._tests_in(file)
            ]
            self._tests = (len(self.files), tests)
        return self._tests[1]

    def _tests_in(self, file: SourceFile) -> Iterator[TestItem]:
        rootdir = file.config.rootdir
        module_chain = (
            self.session_holder(rootdir),
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
                        yield TestItem(f"{prefix}::{function.name}", file, function, class_marks, chain, len(module_chain) - 1)

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

    # -- classes across modules --------------------------------------------------------------
    def load_imported_modules(self) -> None:
        """Read the modules of the tree that the files read so far import, and theirs in turn
        (helper packages such as ``test_framework/``). Several rules ask; the files already
        followed are not followed again."""
        pending = [file for path, file in self.files.items() if path not in self._imports_followed]
        self._imports_followed.update(file.path for file in pending)
        while pending:
            file = pending.pop()
            for imported in file.facts.imports:
                targets = [self.resolve_import(file, imported.module, imported.level)]
                targets += [self.resolve_import(file, f"{imported.module}.{name}", imported.level) for name, _ in imported.names]
                for target in targets:
                    if target is not None and target not in self.files:
                        loaded = self.source(target)
                        if loaded is not None:
                            self._imports_followed.add(loaded.path)
                            pending.append(loaded)

    def resolve_definition(self, file: SourceFile, dotted: str) -> Optional[tuple[Path, str]]:
        """The module and name of the top-level class, function or constant that ``dotted``
        (``Name``, ``module.Name``, ``package.module.Name``) names in ``file``, following imports,
        star imports and re-exports; None outside the tree or past ``MAX_REEXPORTS`` hops."""
        key = (file.path, dotted)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(file, dotted)
        return self._resolved[key]

    def _resolve(self, file: SourceFile, dotted: str) -> Optional[tuple[Path, str]]:
        seen: set[Path] = set()
        for _ in range(MAX_REEXPORTS):
            seen.add(file.path)
            step = self._resolve_step(file, dotted)
            if step is None or isinstance(step, tuple):
                return step
            target, dotted = step
            if target is None or target in seen or not dotted or "." in dotted:
                return None
            loaded = self.source(target)
            if loaded is None:
                return None
            file = loaded
        return None

    def _resolve_step(self, file: SourceFile, dotted: str) -> Union[None, tuple[Path, str], list]:
        """A definition in ``file`` (a tuple), or where to look next (``[module path, name]``)."""
        head, _, rest = dotted.partition(".")
        facts = file.facts
        if not rest and (head in file.classes or head in file.bodies or head in facts.string_constants):
            return file.path, head
        for imported in reversed(facts.imports):
            for name, bound in imported.names:
                if bound != head:
                    continue
                if imported.level == 0 and imported.module == name:  # ``import package.module [as bound]``
                    wanted = dotted[len(name) + 1 :] if dotted.startswith(f"{name}.") else rest
                    return [self.resolve_import(file, name, 0), wanted]
                if rest:  # ``from package import module``, then ``module.Name``
                    return [self.resolve_import(file, f"{imported.module}.{name}", imported.level), rest]
                return [self.resolve_import(file, imported.module, imported.level), name]
        if not rest:
            for imported in facts.imports:
                if imported.star:
                    target = self.resolve_import(file, imported.module, imported.level)
                    module = self.source(target) if target is not None else None
                    if module is not None and module is not file and self._resolve_step(module, head) is not None:
                        return [target, head]
        return None

    def fixture_facts(self) -> Iterator[tuple[SourceFile, FixtureFact]]:
        for path in sorted(self.files):
            for fact in self.files[path].facts.fixtures:
                yield self.files[path], fact


Owned = TypeVar("Owned", FunctionFact, FixtureFact)


def _by_owner(items: list[Owned]) -> dict[Optional[str], list[Owned]]:
    """Functions or fixtures by the class that holds them (None: the module), in file order."""
    grouped: dict[Optional[str], list[Owned]] = {}
    for item in items:
        grouped.setdefault(item.owner, []).append(item)
    return grouped


def _rebound(fixturedef: FixtureDef, name: str, bound: str) -> FixtureDef:
    """An imported fixture is registered under the name it is bound to, unless it has ``name=``."""
    if bound == name or fixturedef.fact is None or fixturedef.fact.name != fixturedef.fact.func_name:
        return fixturedef
    return FixtureDef(bound, fixturedef.path, fixturedef.fact)


def module_name(path: Path) -> str:
    """The dotted name a module is imported by, from the first folder up without ``__init__.py``."""
    parts = path.relative_to(_package_root(path.parent)).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package_root(directory: Path) -> Path:
    """The first directory upward without ``__init__.py``: what prepend import mode puts on sys.path."""
    while fs.is_file(directory / "__init__.py") and directory.parent != directory:
        directory = directory.parent
    return directory
