"""Import resolution over facts, the one place that says what a name of a module means: which
file ``import x.y`` names (as pytest's prepend import mode finds it), and where a name a module
uses is defined, through imports, star imports and re-exports. Files are read on demand."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional, TypeVar, Union

from fixlint.facts.model import (
    Binding,
    ClassFact,
    FileFacts,
    FixtureFact,
    FunctionBody,
    FunctionFact,
    MarksFact,
    StringExpression,
)
from fixlint.files import fs
from fixlint.stopwatch import Stopwatch

if TYPE_CHECKING:  # the pytest model, a layer up, says where each folder's imports are looked up
    from fixlint.pytest_model.config import PytestConfig

# How many imports a name is followed through before fixlint gives up on it.
MAX_REEXPORTS = 50
# Reads a file that the tree's fixtures depend on (a helper module, a plugin) on demand.
Loader = Callable[[Path], Optional["SourceFile"]]


@dataclass(frozen=True)
class StringValue:
    """What a str expression of a module comes to, read as Python would run the module."""

    value: Optional[str]  # None: fixlint cannot tell
    why: str = ""  # why it cannot tell


@dataclass
class SourceFile:
    path: Path
    facts: FileFacts
    config: PytestConfig  # of the folder: where its imports are looked up (rootdir, pythonpath)
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


class Modules:
    """The files read so far, and what their imports mean."""

    def __init__(
        self,
        files: dict[Path, SourceFile],
        loader: Loader,
        read: Callable[[Path], bytes],
        stopwatch: Optional[Stopwatch] = None,
        prefetch: Optional[Callable[[Sequence[Path]], None]] = None,
    ) -> None:
        self.files = files
        self.stopwatch = stopwatch or Stopwatch()  # the run's: the shared work times itself
        self.prefetch = prefetch  # makes the facts of many files at once (in parallel), before they are loaded
        self._preloaded: dict[Path, Optional[SourceFile]] = {}  # loaded ahead, not read yet
        self.loader = loader
        self.read = read  # a file's bytes as the run sees them (the fix loop's, once changed)
        self._imports: dict[tuple, Optional[Path]] = {}  # resolve_import's answers
        self._imports_followed: set[Path] = set()  # files load_imported_modules has read
        self._resolved: dict[tuple[Path, str], Optional[tuple[Path, str]]] = {}
        self._sys_paths: dict[tuple[Path, Path], tuple[Path, ...]] = {}  # conftest_sys_path's answers
        self._package_roots: dict[Path, Path] = {}

    def source(self, path: Path) -> Optional[SourceFile]:
        if path in self.files:
            return self.files[path]
        if not fs.is_file(path):
            return None
        file = self._preloaded.pop(path) if path in self._preloaded else self.loader(path)
        if file is not None:
            self.files[path] = file
        return file

    def resolve_import(self, file: SourceFile, module: str, level: int) -> Optional[Path]:
        """The file in the tree that ``import module`` names, as pytest's prepend import mode finds it."""
        # By file first: most imports are asked again of the same file, and its folder's key is dearer.
        key = (file.path, module, level)
        if key not in self._imports:
            config = file.config
            folder_key = (file.path.parent, config.rootdir, config.pythonpath, config.source_roots, module, level)
            if folder_key not in self._imports:
                self._imports[folder_key] = self._find_module(file, module, level)
            self._imports[key] = self._imports[folder_key]
        return self._imports[key]

    def _find_module(self, file: SourceFile, module: str, level: int) -> Optional[Path]:
        parts = [part for part in module.split(".") if part]
        if level:
            base = file.path.parent
            for _ in range(level - 1):
                base = base.parent
            bases = [base]
        else:
            bases = [self.package_root(file.path.parent), *self.search_path(file)]
        for base in bases:
            candidate = base.joinpath(*parts)
            # A package comes before a module of the same name, as Python's path finder looks.
            for path in (candidate / "__init__.py", candidate.with_suffix(".py") if parts else None):
                if path is not None and fs.is_file(path):
                    return path
        return None

    def search_path(self, file: SourceFile) -> list[Path]:
        """Where ``import x`` in ``file`` is looked up beside its package root: the rootdir,
        ``pythonpath``, the folders the conftests from the rootdir down to its folder put on
        ``sys.path``, and the project's ``src`` folder."""
        config = file.config
        edits = self.conftest_sys_path(file.path.parent, config.rootdir)
        return [config.rootdir, *config.pythonpath, *edits, *config.source_roots]

    def conftest_sys_path(self, directory: Path, rootdir: Path) -> tuple[Path, ...]:
        """The folders the conftests from ``rootdir`` down to ``directory`` put on ``sys.path``
        when pytest loads them (before it imports the modules below them)."""
        key = (directory, rootdir)
        if key not in self._sys_paths:
            folders: list[Path] = []
            if directory == rootdir or rootdir in directory.parents:
                above = self.conftest_sys_path(directory.parent, rootdir) if directory != rootdir else ()
                conftest = self.source(directory / "conftest.py")
                folders = [*above]
                for entry in conftest.facts.sys_path if conftest is not None else ():
                    folder = Path(os.path.normpath(directory / entry))
                    if folder not in folders:
                        folders.append(folder)
            self._sys_paths[key] = tuple(folders)
        return self._sys_paths[key]

    def package_root(self, directory: Path) -> Path:
        """``_package_root``, asked once per folder and run."""
        found = self._package_roots.get(directory)
        if found is None:
            found = self._package_roots[directory] = _package_root(directory)
        return found

    def load_imported_modules(self) -> None:
        """Read the modules of the tree that the files read so far import, and theirs in turn
        (helper packages such as ``test_framework/``). Several rules ask; the files already
        followed are not followed again."""
        with self.stopwatch.timing("imported modules"):
            self._load_imported_modules()

    def _load_imported_modules(self) -> None:
        pending = [file for path, file in self.files.items() if path not in self._imports_followed]
        self._imports_followed.update(file.path for file in pending)
        while pending:
            file = pending.pop()
            for target in self.imported_files(file):
                if target not in self.files:
                    loaded = self.source(target)
                    if loaded is not None:
                        self._imports_followed.add(loaded.path)
                        pending.append(loaded)

    def preload_imported_modules(self) -> None:
        """Load ahead the modules ``load_imported_modules`` will read, a generation of imports at
        a time, each generation's facts made at once (``prefetch``, in parallel): in a large
        suite, most of the files read are the application modules the tests import. They are
        kept aside, not added to ``files``: the files a run reads, and the order it reads them in
        (which the rules see), stay those of a run without it."""
        if self.prefetch is None:
            return
        with self.stopwatch.timing("imported modules"):
            known = set(self.files)
            generation = [file for path, file in self.files.items() if path not in self._imports_followed]
            while generation:
                targets = sorted(
                    {target for file in generation for target in self.imported_files(file)}
                    - known
                    - set(self._preloaded)
                )
                if not targets:
                    break
                known.update(targets)
                self.prefetch(targets)
                generation = []
                for target in targets:
                    loaded = self._preloaded[target] = self.loader(target)
                    if loaded is not None:
                        generation.append(loaded)

    def imported_files(self, file: SourceFile, unconditional: bool = False) -> Iterator[Path]:
        """The files of the tree an import of ``file`` may read: the module, and each name
        imported from it taken as a submodule (``unconditional``: of the imports outside ``if``
        and ``try`` blocks only)."""
        for imported in file.facts.imports:
            if unconditional and imported.conditional:
                continue
            target = self.resolve_import(file, imported.module, imported.level)
            if target is not None:
                yield target
            for name, _ in imported.names:
                target = self.resolve_import(file, f"{imported.module}.{name}", imported.level)
                if target is not None:
                    yield target

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
        if not rest and (
            head in file.classes or head in file.bodies or head in facts.string_constants or head in facts.constants
        ):
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

    # -- str constants -------------------------------------------------------------------------
    def string_value(
        self, file: SourceFile, expression: StringExpression, owner: Optional[str], line: int, formatted: bool = False
    ) -> StringValue:
        """The value of ``expression`` read at ``line`` of ``file`` (in the body of the class
        ``owner``, if any), its names followed to the str constants they are bound to in the
        tree: module constants (as bound before ``line``), imported ones, class attributes and
        Enum members. ``formatted``: the value is used as ``str()`` makes it, not compared."""
        return self._evaluate(file, expression, owner, line, formatted, 0)

    def _evaluate(
        self,
        file: SourceFile,
        expression: StringExpression,
        owner: Optional[str],
        line: Optional[int],
        formatted: bool,
        hops: int,
    ) -> StringValue:
        values = []
        for is_name, text in expression.parts:
            part = self._name_value(file, text, owner, line, formatted, hops) if is_name else StringValue(text)
            if part.value is None:
                return part
            values.append(part.value)
        return StringValue("".join(values))

    def _name_value(
        self, file: SourceFile, dotted: str, owner: Optional[str], line: Optional[int], formatted: bool, hops: int
    ) -> StringValue:
        if hops > MAX_REEXPORTS:
            return StringValue(None, f"`{dotted}` is followed through more than {MAX_REEXPORTS} names")
        head, _, rest = dotted.partition(".")
        constants = file.facts.constants
        # A class body reads its own names first, then the module's.
        for scope in ([owner] if owner else []) + [None]:
            key = f"{scope}.{head}" if scope else head
            bindings = [b for b in constants.get(key, ()) if line is None or b.line < line]
            if bindings:
                if rest:
                    return StringValue(None, f"`{dotted}` reads an attribute of a str")
                return self._bound_value(file, key, bindings, scope, formatted, hops)
        if head in file.classes:
            return self._attribute(file, head, rest.split(".") if rest else [], formatted, hops)
        if head in file.bodies:
            return StringValue(None, f"`{head}` is a function, called when pytest runs")
        parts = dotted.split(".")
        for length in range(len(parts), 0, -1):
            found = self.resolve_definition(file, ".".join(parts[:length]))
            target = self.source(found[0]) if found is not None else None
            if found is not None and target is not None and (target is not file or found[1] != head):
                # An imported module has run to its end: its last bindings count.
                return self._name_value(target, ".".join([found[1], *parts[length:]]), None, None, formatted, hops + 1)
        return StringValue(None, f"`{dotted}` is not a str constant fixlint finds in the tree")

    def _bound_value(
        self,
        file: SourceFile,
        key: str,
        bindings: list[Binding],
        owner: Optional[str],
        formatted: bool,
        hops: int,
    ) -> StringValue:
        """The value of the last of ``bindings``, the bindings of ``key`` made before it is read."""
        name = key.rpartition(".")[2]
        if any(binding.conditional for binding in bindings):
            return StringValue(None, f"`{name}` is bound in a branch, a loop or by `global`")
        last = bindings[-1]
        if last.value is None:
            return StringValue(None, f"`{name}` is bound to a value fixlint does not read (line {last.line})")
        return self._evaluate(file, last.value, owner, last.line, formatted, hops + 1)

    def _attribute(self, file: SourceFile, cls: str, attributes: list[str], formatted: bool, hops: int) -> StringValue:
        """``Class.NAME`` (and ``Enum.MEMBER.value``) for a class of ``file``, once its body has run."""
        if not attributes:
            return StringValue(None, f"`{cls}` is a class, not a str")
        key = f"{cls}.{attributes[0]}"
        if key in file.classes:
            return self._attribute(file, key, attributes[1:], formatted, hops)
        bindings = list(file.facts.constants.get(key, ()))
        if not bindings:
            return StringValue(None, f"`{key}` is not a str constant of the class")
        value = self._bound_value(file, key, bindings, cls, formatted, hops)
        more = attributes[1:]
        kind = file.classes[cls].enum
        if kind and more == ["value"]:
            return value
        if more:
            return StringValue(None, f"`{key}.{'.'.join(more)}` reads an attribute of a str")
        if kind == "other":
            return StringValue(None, f"`{key}` is a member of an Enum, not a str (its `.value` is)")
        if kind == "mixin" and formatted:
            return StringValue(None, f"`{key}` is a member of a `str, Enum`, which formats as `{key}` on some Pythons")
        return value


Owned = TypeVar("Owned", FunctionFact, FixtureFact)


def _by_owner(items: Sequence[Owned]) -> dict[Optional[str], list[Owned]]:
    """Functions or fixtures by the class that holds them (None: the module), in file order."""
    grouped: dict[Optional[str], list[Owned]] = {}
    for item in items:
        grouped.setdefault(item.owner, []).append(item)
    return grouped


def module_name(path: Path) -> str:
    """The dotted name a module is imported by, from the first folder up without ``__init__.py``."""
    parts = path.relative_to(_package_root(path.parent)).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package_root(directory: Path) -> Path:
    """The first directory upward without ``__init__.py``: what prepend import mode puts on sys.path."""
    while fs.is_file(directory / "__init__.py") and directory.parent != directory:
        directory = directory.parent
    return directory
