from __future__ import annotations

import fnmatch
import io
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from fixlint.errors import ConfigError
from fixlint.facts.model import CallFact, ClassFact, ImportFact, WrapperShape
from fixlint.files.display import message_path
from fixlint.files.source_text import SourceText
from fixlint.findings import Applicability, Edit, Finding, Fix
from fixlint.modules import SourceFile, module_name
from fixlint.pytest_model.project import Project
from fixlint.rules.base import Example, Option, Rule, code_list
from fixlint.rules.import_edits import binds_elsewhere
from fixlint.rules.legacy_mock.edits import FileMigration, migrate_file


def _check_dotted(value: str, where: str) -> None:
    if not value or not all(part.isidentifier() for part in value.split(".")):
        raise ConfigError(f"{where}: expected a dotted Python name, got {value!r}")


def _check_names(value: list[str], where: str) -> None:
    for name in value:
        if not name.isidentifier():
            raise ConfigError(f"{where}: expected Python names, got {name!r}")


FACTORY = Option(
    "create_compliance_mock",
    "The unified mock factory that replaces legacy wrappers found by name, and wrappers of it.",
    check=_check_dotted,
)
FACTORIES = Option(
    [],
    "More unified mock factories of `factory-module`: a wrapper of one becomes a call of that one.",
    check=_check_names,
)
FACTORY_MODULE = Option(
    "test_framework.fixtures.websocket_manager_mock", "The module the factory is imported from.", check=_check_dotted
)
LEGACY_PATTERNS = Option(["Legacy*Mock*"], "Class name patterns reported as legacy wrappers, whatever their shape.")


@dataclass
class Wrapper:
    file: SourceFile
    cls: ClassFact
    named: list[str]  # the legacy patterns its name matches
    shape: Optional[WrapperShape]  # its wrapper shape, when what it wraps is a mock
    calls: list[tuple[SourceFile, CallFact]] = field(default_factory=list)
    subclasses: list[tuple[SourceFile, ClassFact]] = field(default_factory=list)
    imports: list[tuple[SourceFile, ImportFact, str, str]] = field(default_factory=list)  # (file, import, name, bound)
    # (module, name) of the factory its instantiations become; None, and why, when fixlint cannot tell
    target: Optional[tuple[str, str]] = None
    untargeted: str = ""

    @property
    def name(self) -> str:
        return self.cls.qualname.rpartition(".")[2]

    @property
    def defined_in(self) -> Optional[str]:
        """The function whose body defines the class (``test_x.<locals>.Wrapper``); None at module level."""
        function, locals_, _ = self.cls.qualname.rpartition(".<locals>.")
        return function if locals_ else None

    @property
    def factory_name(self) -> str:
        """The factory the messages name: the one the fix writes, else the one the wrapper calls."""
        if self.target is not None:
            return self.target[1]
        assert self.shape is not None  # a wrapper found by name only gets the configured factory
        return self.shape.factory.rpartition(".")[2]


class LegacyMockWrapper(Rule):
    """## What it does
    Finds legacy wrappers around a unified mock: classes whose `__init__` makes the wrapped mock
    from a factory (`self._unified_mock = create_compliance_mock()`), sets state of its own
    (`self.messages = []`) and whose methods copy that state back from the wrapped mock
    (`self.messages = self._unified_mock.messages`). It finds them by that shape, and by name
    (`legacy-patterns`, default `Legacy*Mock*`, which the message says). It reports the class
    and every place in the tree that instantiates, subclasses or imports it, across files: test
    modules, conftest files and the helper packages they import from.

    ## Why is this bad?
    The wrapper keeps a second copy of the mock's state, which goes stale between copies: a test
    reads `messages` from the wrapper while the mock already holds more. Two generations of mocks
    also make every test harder to read than one.

    ## Example
    ```python
    class LegacyMockWebSocketManager:
        def __init__(self):
            self._unified_mock = create_compliance_mock()
            self.messages = []

        async def send_to_thread(self, thread_id, message):
            await self._unified_mock.send_to_thread(thread_id, message)
            self.messages = self._unified_mock.messages

    manager = LegacyMockWebSocketManager()
    ```

    ## Use instead
    ```python
    from test_framework.fixtures.websocket_manager_mock import create_compliance_mock

    manager = create_compliance_mock()
    ```

    ## Fix safety
    The fix rewrites every instantiation in the tree to the factory the wrapper wraps (the message
    names it), adds its import, drops the imports of the wrapper that become unused, and deletes
    the class once nothing uses it. A method passes through when it hands the call on to the
    mock's method of the same name and returns its answer (directly, or held in a variable only
    the `return` reads). It is safe when the wrapped mock offers every public method and
    attribute of the wrapper (read from the wrapper's own body: what it reads from the wrapped
    mock) and it wraps a configured unified factory with no arguments; unsafe otherwise. No fix
    for a class found only by name, for a wrapper with a method that answers otherwise than the
    mock (reshapes what it returns: the migration would change the tests), for a wrapper defined
    inside a function or fixture (the message says so), for an instantiation with arguments, or
    for a subclass (which keeps the wrapper alive). A wrapper nothing uses is deleted, whatever its
    methods answer (safe: no test builds it).

    ## Options
    `[tool.fixlint.legacy-mock]`: `factory` (the unified mock a class found by name becomes),
    `factories` (more unified factories), `factory-module` (where they are defined),
    `legacy-patterns` (class name globs).
    """

    name = "legacy-mock-wrapper"
    family = "legacy-mock"
    reads_imported_modules = True
    blocks = "requirement"
    summary = "A legacy wrapper that keeps a second copy of a unified mock's state"
    fix = Applicability.SAFE
    options_schema = {
        "factory": FACTORY,
        "factories": FACTORIES,
        "factory-module": FACTORY_MODULE,
        "legacy-patterns": LEGACY_PATTERNS,
    }
    examples = (
        Example(
            files={
                "helpers.py": (
                    "from mocks import create_compliance_mock\n\n\n"
                    "class LegacyMockWebSocketManager:\n"
                    "    def __init__(self):\n"
                    "        self._unified_mock = create_compliance_mock()\n"
                    "        self.messages = []\n\n"
                    "    def send(self, message):\n"
                    "        self._unified_mock.send(message)\n"
                    "        self.messages = self._unified_mock.messages\n"
                ),
                "mocks.py": (
                    "class Mock:\n    def __init__(self):\n        self.messages = []\n\n"
                    "    def send(self, message):\n        self.messages.append(message)\n\n\n"
                    "def create_compliance_mock():\n    return Mock()\n"
                ),
                "test_chat.py": (
                    "from helpers import LegacyMockWebSocketManager\n\n\n"
                    "def test_send():\n    manager = LegacyMockWebSocketManager()\n"
                    "    manager.send('hi')\n    assert manager.messages == ['hi']\n"
                ),
                "pyproject.toml": '[tool.fixlint.legacy-mock]\nfactory-module = "mocks"\n',
            },
            expected=(
                "helpers.py:4 legacy-mock-wrapper",
                "test_chat.py:1 legacy-mock-wrapper",
                "test_chat.py:5 legacy-mock-wrapper",
            ),
            fixed={
                "helpers.py": "\n",
                "test_chat.py": (
                    "from mocks import create_compliance_mock\n\n\n"
                    "def test_send():\n    manager = create_compliance_mock()\n"
                    "    manager.send('hi')\n    assert manager.messages == ['hi']\n"
                ),
            },
        ),
        Example(
            # Keeps its own list, but wraps nothing: not a legacy wrapper.
            files={
                "test_events.py": (
                    "class EventRecorder:\n    def __init__(self):\n        self.events = []\n\n"
                    "    def record(self, event):\n        self.events.append(event)\n\n\n"
                    "def test_record():\n    recorder = EventRecorder()\n    recorder.record(1)\n"
                    "    assert recorder.events == [1]\n"
                ),
            },
        ),
    )

    def check_project(self, project: Project) -> Iterator[Finding]:
        project.load_imported_modules()
        wrappers = self._wrappers(project)
        if not wrappers:
            return
        self._find_uses(project, wrappers)
        for wrapper in wrappers.values():
            yield from self._findings(project, wrapper)

    # -- detection ------------------------------------------------------------------------
    def _wrappers(self, project: Project) -> dict[tuple[Path, str], Wrapper]:
        found: dict[tuple[Path, str], Wrapper] = {}
        for path in sorted(project.files):
            file = project.files[path]
            for cls in file.facts.classes:
                scope, _, name = cls.qualname.rpartition(".")
                if scope and not scope.endswith(".<locals>"):
                    continue  # a class in a class body: its users reach it through the outer class
                named = [pattern for pattern in self.options["legacy-patterns"] if fnmatch.fnmatchcase(name, pattern)]
                shape = cls.wrapper if cls.wrapper is not None and self._wraps_a_mock(file, cls.wrapper) else None
                if shape is not None or named:
                    wrapper = Wrapper(file, cls, named, shape)
                    wrapper.target, wrapper.untargeted = self._target(project, wrapper)
                    found[(path, cls.qualname)] = wrapper
        return found

    def _wraps_a_mock(self, file: SourceFile, shape: WrapperShape) -> bool:
        """A cookie jar kept in sync is no legacy mock: the wrapped object must come from a
        configured factory or one named as a mock (as the module calls it, or as it is defined)."""
        names = {dotted.rpartition(".")[2] for dotted in (shape.factory, _origin(file, shape.factory) or "")}
        return any(name in self._unified_names() or "mock" in name.lower() for name in names)

    def _unified_names(self) -> list[str]:
        return [self.options["factory"], *self.options["factories"]]

    def _target(self, project: Project, wrapper: Wrapper) -> tuple[Optional[tuple[str, str]], str]:
        """(module, name) of the factory the wrapper's instantiations become: for a wrapper of a
        factory, that factory, where the wrapper's module finds it; else the configured one."""
        shape = wrapper.shape
        if shape is None:
            return (self.options["factory-module"], self.options["factory"]), ""
        origin = _origin(wrapper.file, shape.factory)
        # ``from module import factory [as alias]``, or ``import module`` and ``module.factory``
        if origin is not None and not origin.startswith(".") and shape.factory.count(".") <= 1:
            module, _, name = origin.rpartition(".")
            return (module, name), ""
        resolved = project.resolve_definition(wrapper.file, shape.factory)
        if resolved is not None and "." not in resolved[1]:  # a module-level function or class of the tree
            return (module_name(resolved[0]), resolved[1]), ""
        return None, f"fixlint cannot tell which module defines `{shape.factory}`, so it cannot import it"

    def _find_uses(self, project: Project, wrappers: dict[tuple[Path, str], Wrapper]) -> None:
        for path in sorted(project.files):
            file = project.files[path]
            for call in file.facts.calls:
                wrapper = _wrapper_named(project, wrappers, file, call.callee)
                if wrapper is not None:
                    wrapper.calls.append((file, call))
            for cls in file.facts.classes:
                for base in cls.bases:
                    wrapper = _wrapper_named(project, wrappers, file, base) if base else None
                    if wrapper is not None:
                        wrapper.subclasses.append((file, cls))
            for imported in file.facts.imports:
                for name, bound in imported.names:
                    wrapper = _wrapper_named(project, wrappers, file, bound)
                    if wrapper is not None and wrapper.file is not file:
                        wrapper.imports.append((file, imported, name, bound))

    # -- findings ---------------------------------------------------------------------------
    def _findings(self, project: Project, wrapper: Wrapper) -> Iterator[Finding]:
        fix, reason = self._fix(project, wrapper)
        factory = f"{wrapper.factory_name}()"
        definition = f"{message_path(wrapper.file.path)}:{wrapper.cls.line}"
        no_fix = f"; no fix: {reason}" if fix is None and reason else ""
        cls = wrapper.cls
        shape = wrapper.shape
        if shape is not None:
            message = (
                f"`{wrapper.name}` wraps `{shape.factory}()` in `self.{shape.wrapped}` and keeps its own copy of "
                f"{code_list(shape.copied_back)}: use `{factory}` directly"
            )
            if wrapper.named:
                message += f" (its name also matches the legacy pattern `{wrapper.named[0]}`)"
            if fix is not None and fix.applicability is Applicability.UNSAFE:
                message += f"; the fix is unsafe: {self._unsafe_because(wrapper)}"
            elif fix is not None and not _used(wrapper):
                message += "; nothing uses it: the fix deletes it"
        else:
            message = f"`{wrapper.name}` matches the legacy pattern `{wrapper.named[0]}`: replace it with `{factory}`"
        users = sorted(
            {str(file.path) for file, _ in wrapper.calls}
            | {str(file.path) for file, _ in wrapper.subclasses}
            | {str(file.path) for file, *_ in wrapper.imports}
        )
        yield self._finding(wrapper.file, cls.line, cls.column, message + no_fix, fix, wrapper, concerns=tuple(users))
        rewritable = {id(call) for _, call in self._rewritable(wrapper)}
        for file, call in wrapper.calls:
            message = f"instantiates legacy wrapper `{wrapper.name}` ({definition}): use `{factory}`"
            if call.args or call.has_star_args:
                message += f"; no fix here: its arguments have no place in `{factory}`"
            elif id(call) in rewritable or wrapper.target is None:
                message += no_fix
            else:
                message += f"; no fix here: this module binds `{wrapper.factory_name}` to something else"
            yield self._finding(
                file, call.span.line, call.span.column, message, fix if id(call) in rewritable else None, wrapper
            )
        for file, subclass in wrapper.subclasses:
            message = (
                f"`{subclass.qualname}` subclasses legacy wrapper `{wrapper.name}` ({definition}): move what it adds "
                f"onto the unified mock; no fix"
            )
            yield self._finding(file, subclass.line, subclass.column, message, None, wrapper)
        for file, imported, name, bound in wrapper.imports:
            alias = f" as `{bound}`" if bound != name else ""
            message = f"imports legacy wrapper `{wrapper.name}`{alias} ({definition}){no_fix}"
            yield self._finding(file, imported.line, imported.column, message, fix, wrapper)

    def _finding(
        self,
        file: SourceFile,
        line: int,
        column: int,
        message: str,
        fix: Optional[Fix],
        wrapper: Wrapper,
        concerns: tuple[str, ...] = (),
    ) -> Finding:
        return Finding(
            self.name,
            str(file.path),
            line,
            column,
            line,
            column,
            message,
            fix=fix,
            concerns=concerns,
            data={
                "wrapper": wrapper.name,
                "wrapper_path": str(wrapper.file.path),
                "wrapper_line": wrapper.cls.line,
                "shape": wrapper.shape is not None,
                "named_by": wrapper.named,
            },
        )

    # -- the fix ------------------------------------------------------------------------------
    def _fix(self, project: Project, wrapper: Wrapper) -> tuple[Optional[Fix], str]:
        if wrapper.shape is None:
            return None, "fixlint sees no wrapped mock in its body, so it cannot tell what replaces it"
        if wrapper.defined_in is not None:
            return None, (
                f"it is defined inside `{wrapper.defined_in}`, and the migration rewrites only "
                f"module-level wrappers (move it to the module, or use `{wrapper.factory_name}()` there)"
            )
        # The mock itself would answer those calls differently; a wrapper nothing uses only goes.
        if wrapper.shape.adapted and _used(wrapper):
            return None, f"{code_list(wrapper.shape.adapted)} of the wrapper answer other than the mock's own"
        if wrapper.target is None:
            return None, wrapper.untargeted
        rewritable = self._rewritable(wrapper)
        migrations: dict[Path, FileMigration] = {}
        for file, call in rewritable:
            migration = migrations.setdefault(file.path, FileMigration())
            migration.calls.add((call.span.line, call.span.column))
            module_import = _module_import(file, call.callee)
            if module_import is not None:
                migration.wrapper_imports.append(module_import)
        for file, imported, name, bound in wrapper.imports:
            if file.facts.references.get(bound, 0) > _calls_of(rewritable, file, bound):
                continue  # still used (a subclass, an argument-taking call): the import stays
            module = "." * imported.level + imported.module
            migrations.setdefault(file.path, FileMigration()).wrapper_imports.append(
                (module, name, None if bound == name else bound)
            )
        # Whether the class goes too reads the text of every module: only once the edits are
        # needed, unless the class is all there is to fix.
        if not migrations:
            if not self._unused_after(project, wrapper, rewritable):
                return None, "nothing here can be rewritten"
            migrations[wrapper.file.path] = FileMigration()
        factory_module, factory = wrapper.target

        def edits() -> tuple[Edit, ...]:
            if self._unused_after(project, wrapper, rewritable):
                migrations.setdefault(wrapper.file.path, FileMigration()).delete_class = wrapper.name
            return tuple(
                edit
                for path, migration in sorted(migrations.items())
                for edit in migrate_file(
                    str(path), project.read(path), project.files[path].facts, migration, factory_module, factory
                )
            )

        unsafe = _used(wrapper) and self._unsafe_because(wrapper)
        return Fix(Applicability.UNSAFE if unsafe else Applicability.SAFE, edits), ""

    def _rewritable(self, wrapper: Wrapper) -> list[tuple[SourceFile, CallFact]]:
        """Instantiations with no arguments, in files where the factory's name is free."""
        if wrapper.target is None:
            return []
        module, factory = wrapper.target
        return [
            (file, call)
            for file, call in wrapper.calls
            if not call.args and not call.has_star_args and not binds_elsewhere(file.facts, factory, module)
        ]

    def _unsafe_because(self, wrapper: Wrapper) -> str:
        """Why the migration may change what a test does; "" when it cannot."""
        shape = wrapper.shape
        assert shape is not None
        assert wrapper.target is not None
        module, factory = wrapper.target
        if shape.factory_args:
            return f"the wrapper calls `{shape.factory}(...)` with arguments that `{factory}()` would go without"
        if module != self.options["factory-module"] or factory not in self._unified_names():
            return (
                f"`{module}.{factory}` is not a configured unified factory (`factory`, `factories`, `factory-module`)"
            )
        missing = sorted(set(shape.members) - set(shape.offered))
        if missing:
            return f"the wrapped mock may not offer {code_list(missing)}"
        rewritable = self._rewritable(wrapper)
        for file, bound in self._bindings(wrapper):
            subclassing = sum(cls.bases.count(bound) for other, cls in wrapper.subclasses if other is file)
            if file.facts.references.get(bound, 0) > _calls_of(rewritable, file, bound) + subclassing:
                return f"`{file.path.name}` uses `{bound}` other than to build or subclass one (`isinstance`, say)"
        return ""

    @staticmethod
    def _bindings(wrapper: Wrapper) -> list[tuple[SourceFile, str]]:
        """Each file that binds the wrapper to a name, and the name."""
        return [(wrapper.file, wrapper.name)] + [(file, bound) for file, _, _, bound in wrapper.imports]

    def _unused_after(self, project: Project, wrapper: Wrapper, rewritable: list[tuple[SourceFile, CallFact]]) -> bool:
        """Nothing but the rewritten instantiations will use the wrapper: in the files read, its
        names are read only by them; in every module under the rootdir, read or not (a file that
        does not parse, a star import, ``__all__``), its name stands only where the fix accounts for it."""
        if wrapper.subclasses or len(rewritable) != len(wrapper.calls):
            return False
        for file, bound in self._bindings(wrapper):
            if file.facts.references.get(bound, 0) != _calls_of(rewritable, file, bound):
                return False
        accounted = {wrapper.file.path: 1}  # its ``class`` statement
        for file, call in rewritable:
            accounted[file.path] = accounted.get(file.path, 0) + call.callee.split(".").count(wrapper.name)
        for file, *_ in wrapper.imports:
            accounted[file.path] = accounted.get(file.path, 0) + 1
        # Source encodings are ASCII-compatible: an ASCII name absent from the bytes is absent
        # from the text, and most modules need no decoding.
        needle = wrapper.name.encode() if wrapper.name.isascii() else b""
        for path in project.modules_under(wrapper.file.config.rootdir):
            try:
                data = project.read(path)
                if needle and needle not in data and path not in accounted:
                    continue
                text = SourceText.decode(data).text
            except (OSError, SyntaxError, UnicodeDecodeError, LookupError):
                return False
            if wrapper.name in text and _mentions(text, wrapper.name) != accounted.get(path, 0):
                other = project.source(path) if path != wrapper.file.path else None
                if other is None or not _binds_its_own(other, wrapper.name):
                    return False
        return True


def _used(wrapper: Wrapper) -> bool:
    """The tree instantiates, subclasses or imports the wrapper."""
    return bool(wrapper.calls or wrapper.subclasses or wrapper.imports)


def _binds_its_own(file: SourceFile, name: str) -> bool:
    """The module defines a class ``name`` of its own and imports no such name: what it says of
    ``name`` is about its own class."""
    return name in file.classes and not any(
        imported.star or any(bound == name for _, bound in imported.names) for imported in file.facts.imports
    )


def _mentions(text: str, name: str) -> int:
    """How often code names ``name``: as a name, or as a string of its own (``__all__``);
    comments and prose do not count. Code that does not tokenize counts every occurrence."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return len(re.findall(rf"\b{re.escape(name)}\b", text))
    return sum(
        1
        for token in tokens
        if (token.type == tokenize.NAME and token.string == name)
        or (token.type == tokenize.STRING and token.string.strip("\"'") == name)
    )


def _calls_of(calls: list[tuple[SourceFile, CallFact]], file: SourceFile, callee: str) -> int:
    return sum(1 for other, call in calls if other is file and call.callee == callee)


def _origin(file: SourceFile, dotted: str) -> Optional[str]:
    """What ``dotted`` names by the file's imports: ``module.name``; None if it is not imported."""
    head, _, rest = dotted.partition(".")
    for imported in reversed(file.facts.imports):
        for name, bound in imported.names:
            if bound != head:
                continue
            if imported.level == 0 and imported.module == name:  # ``import package.module [as bound]``
                return dotted if dotted.startswith(f"{name}.") else f"{name}.{rest}"
            base = f"{'.' * imported.level}{imported.module}.{name}"
            return f"{base}.{rest}" if rest else base
    return None


def _wrapper_named(
    project: Project, wrappers: dict[tuple[Path, str], Wrapper], file: SourceFile, name: str
) -> Optional[Wrapper]:
    """The wrapper that ``name`` (dotted, as written in ``file``) stands for, if any."""
    resolved = project.resolve_definition(file, name)
    return wrappers.get(resolved) if resolved is not None else None


def _module_import(file: SourceFile, callee: str) -> Optional[tuple[str, Optional[str], Optional[str]]]:
    """For ``module.Wrapper()``: the ``import module [as alias]`` that may become unused."""
    head = callee.partition(".")[0]
    if head == callee:
        return None
    for imported in file.facts.imports:
        for name, bound in imported.names:
            if bound == head and imported.level == 0 and imported.module == name:
                return name, None, None if bound == name.partition(".")[0] else bound
    return None
