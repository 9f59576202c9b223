from __future__ import annotations

import ast
import fnmatch
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

from fixlint.errors import ConfigError
from fixlint.facts.model import CallFact
from fixlint.files.display import message_path
from fixlint.findings import Applicability, Edit, Finding, Fix
from fixlint.modules import SourceFile
from fixlint.pytest_model.collection import in_suite
from fixlint.pytest_model.project import Project
from fixlint.rules.base import Example, Option, Rule
from fixlint.rules.import_edits import import_edit

REPORT_MOCKS = [
    "MockWebSocketManager",
    "MockWebSocketConnection",
    "UltraReliableMockWebSocketConnection",
    "RobustMockWebSocketConnection",
]
REAL_CALLS = {
    "MockWebSocketConnection": {
        "params": ["user_id", "connection_id"],
        "template": (
            "await WebSocketConnectionPool().get_real_connection(user_id={user_id}, connection_id={connection_id})"
        ),
        "import": "test_framework.websocket_helpers.WebSocketConnectionPool",
    }
}


def _check_real_calls(value: dict[str, Any], where: str) -> None:
    """Each mock maps to {params = [...], template = "...{param}...", import = "module.Name"}."""
    for mock, spec in value.items():
        at = f"{where} `{mock}`"
        if not isinstance(spec, dict) or set(spec) != {"params", "template", "import"}:
            raise ConfigError(f"{at}: expected a table with the keys params, template and import")
        params, template, imported = spec["params"], spec["template"], spec["import"]
        if not isinstance(params, list) or not all(isinstance(p, str) and p.isidentifier() for p in params):
            raise ConfigError(f"{at} `params`: expected a list of parameter names, got {params!r}")
        if not isinstance(template, str):
            raise ConfigError(f"{at} `template`: expected a string, got {template!r}")
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
        if not fields <= set(params):
            raise ConfigError(f"{at} `template`: {sorted(fields - set(params))} are not among its params")
        try:
            ast.parse(template.format(**{p: p for p in params}), mode="eval")
        except (SyntaxError, ValueError, KeyError, IndexError) as error:
            raise ConfigError(f"{at} `template`: not a Python expression ({error})") from None
        if (
            not isinstance(imported, str)
            or "." not in imported
            or not all(part.isidentifier() for part in imported.split("."))
        ):
            raise ConfigError(f"{at} `import`: expected `module.Name`, got {imported!r}")


REAL_PATHS = Option(
    ["**/mission_critical/**"],
    "Globs of suites that must use real connections: of the path from the rootdir, or of the file name.",
)
REAL_MARKS = Option(["real_websocket"], "Marks of tests that must use real connections.")
MOCK_NAMES = Option(REPORT_MOCKS, "Mock classes that such suites must not build.")
MOCK_PATTERNS = Option(["*Mock*WebSocket*"], "Name globs of mock classes defined in the tree, reported too.")
REAL_CALLS_OPTION = Option(
    REAL_CALLS,
    "For each mock class: its params, the real call that replaces it, and that call's import.",
    check=_check_real_calls,
)


class MockConnection(Rule):
    """## What it does
    In suites that must run against real connections (by path, `real-connection-paths`, default
    `**/mission_critical/**`, or by mark, `real-connection-marks`, default `real_websocket`),
    finds tests, fixtures and helpers that build a mock connection or manager instead
    (`MockWebSocketManager`, `MockWebSocketConnection`, and the tree's own `*Mock*WebSocket*`
    classes, those defined in a function or fixture body too), and mock classes defined in such a
    suite. Elsewhere it is silent: unit tests may mock.

    ## Why is this bad?
    A suite that exists to prove the real connection works proves nothing with a mock: real
    failures go undetected while the tests pass.

    ## Example
    ```python
    async def test_agent_events(user_id, connection_id):
        connection = MockWebSocketConnection(user_id, connection_id)
    ```

    ## Use instead
    ```python
    async def test_agent_events(user_id, connection_id):
        connection = await WebSocketConnectionPool().get_real_connection(
            user_id=user_id, connection_id=connection_id
        )
    ```

    ## Fix safety
    Unsafe: it changes what the test talks to. Inside `async def`, a call of a mock that
    `real-connection-calls` maps (positional or keyword arguments) becomes the configured real
    call, and its import is added. No fix (the message says why) in a sync function when the
    real call is awaited, for arguments that do not map, for a subclass of a mock, for a
    mock with no configured real call, and where the real call would not run: its import names
    no class of the tree, or the class lacks a method the call makes.

    ## Options
    `[tool.fixlint.legacy-mock]`: `real-connection-paths`, `real-connection-marks`, `mock-names`,
    `mock-patterns`, and `real-connection-calls`, a table per mock class:
    `{ params = ["user_id", "connection_id"], template = "await Pool().get(user_id={user_id}, ...)", import = "module.Pool" }`.
    """  # noqa: E501 (shown verbatim by `fixlint rule` and in SARIF: a wrap would change that text)

    name = "mock-connection"
    family = "legacy-mock"
    reads_imported_modules = True
    blocks = "requirement"
    summary = "A suite that must use real connections builds a mock one"
    fix = Applicability.UNSAFE
    options_schema = {
        "real-connection-paths": REAL_PATHS,
        "real-connection-marks": REAL_MARKS,
        "mock-names": MOCK_NAMES,
        "mock-patterns": MOCK_PATTERNS,
        "real-connection-calls": REAL_CALLS_OPTION,
    }
    examples = (
        Example(
            files={
                "test_framework/websocket_helpers.py": (
                    "class WebSocketConnectionPool:\n"
                    "    async def get_real_connection(self, user_id, connection_id):\n"
                    "        return (user_id, connection_id)\n"
                ),
                "mission_critical/test_events.py": (
                    "from mocks import MockWebSocketConnection\n\n\n"
                    "async def test_events():\n    connection = MockWebSocketConnection('u1', 'c1')\n"
                    "    assert connection\n\n\n"
                    "def test_sync():\n    assert MockWebSocketConnection('u2', 'c2')\n"
                ),
                "unit/test_unit.py": (
                    "from mocks import MockWebSocketConnection\n\n\ndef test_unit():\n"
                    "    assert MockWebSocketConnection('u', 'c')\n"
                ),
            },
            expected=(
                "mission_critical/test_events.py:5 mock-connection",
                "mission_critical/test_events.py:10 mock-connection",
            ),
            fixed={
                "mission_critical/test_events.py": (
                    "from mocks import MockWebSocketConnection\n"
                    "from test_framework.websocket_helpers import WebSocketConnectionPool\n\n\n"
                    "async def test_events():\n"
                    "    connection = await WebSocketConnectionPool()"
                    ".get_real_connection(user_id='u1', connection_id='c1')\n"
                    "    assert connection\n\n\n"
                    "def test_sync():\n    assert MockWebSocketConnection('u2', 'c2')\n"
                ),
            },
        ),
        Example(
            # The real pool is not in the tree: no import of it is written.
            files={
                "mission_critical/test_events.py": (
                    "from mocks import MockWebSocketConnection\n\n\n"
                    "async def test_events():\n    assert MockWebSocketConnection('u1', 'c1')\n"
                ),
            },
            expected=("mission_critical/test_events.py:5 mock-connection",),
        ),
    )

    def check_project(self, project: Project) -> Iterator[Finding]:
        project.load_imported_modules()
        mocks = self._mock_classes(project)
        for path in sorted(project.files):
            file = project.files[path]
            suite_file = in_suite(file.path, file.config.rootdir, self.options["real-connection-paths"])
            for cls in file.facts.classes:
                function, in_body, short = cls.qualname.rpartition(".<locals>.")
                if suite_file and cls.qualname.rpartition(".")[2] in mocks:
                    inside = f" (inside `{function}`)" if in_body else ""
                    yield self._finding(
                        file,
                        cls.line,
                        cls.column,
                        f"mock class `{short}`{inside} defined in a suite that must use real connections",
                        None,
                        short,
                    )
            for call in file.facts.calls:
                resolved = project.resolve_definition(file, call.callee)
                name = _class_name(project, file, call.callee)
                if name not in mocks:
                    continue
                mark = None if suite_file else self._real_mark(file, call)
                if not suite_file and mark is None:
                    continue
                fix, reason = self._fix(project, file, call, name, resolved)
                where = "a suite" if suite_file else f"a test marked `{mark}`"
                message = f"builds mock `{name}` in {where} that must use real connections"
                if fix is None:
                    message += f"; no fix: {reason}"
                yield self._finding(file, call.span.line, call.span.column, message, fix, name)

    def _mock_classes(self, project: Project) -> set[str]:
        """The configured mocks, the tree's classes named like one, and their subclasses."""
        names = set(self.options["mock-names"])
        classes = [(file, cls) for file in project.files.values() for cls in file.facts.classes]
        for _, cls in classes:
            short = cls.qualname.rpartition(".")[2]
            if any(fnmatch.fnmatchcase(short, pattern) for pattern in self.options["mock-patterns"]):
                names.add(short)
        grown = True
        while grown:
            grown = False
            for file, cls in classes:
                short = cls.qualname.rpartition(".")[2]
                if short not in names and any(_class_name(project, file, base) in names for base in cls.bases if base):
                    names.add(short)
                    grown = True
        return names

    def _real_mark(self, file: SourceFile, call: CallFact) -> Optional[str]:
        """The real-connection mark of the test (or its class, or module) that holds the call."""
        real = self.options["real-connection-marks"]
        return next((name for marks in file.marks_around(call.function) for name in marks.names if name in real), None)

    def _fix(
        self, project: Project, file: SourceFile, call: CallFact, name: str, resolved: Optional[tuple[Path, str]]
    ) -> tuple[Optional[Fix], str]:
        spec = self.options["real-connection-calls"].get(name)
        if spec is None:
            base = self._mapped_base(project, resolved)
            if base:
                return None, f"`{name}` subclasses `{base}`: what it adds has no real counterpart"
            return None, f"no real call is configured for `{name}` (`real-connection-calls`)"
        template: str = spec["template"]
        if template.lstrip().startswith("await ") and not call.in_async:
            return None, "not inside `async def`, and the real connection must be awaited"
        if call.has_comments:
            return None, "comments stand inside the call, and the rewrite would drop them"
        values = _map_arguments(call, spec["params"])
        if values is None:
            return None, f"its arguments do not map to ({', '.join(spec['params'])})"
        missing = _missing_real_call(project, file, spec)
        if missing:
            return None, missing
        text = template.format(**values)
        if call.chained:
            text = f"({text})"
        module, _, imported = spec["import"].rpartition(".")
        path = str(file.path)
        span = call.span
        edits = [Edit(path, span.line, span.column, span.end_line, span.end_column, text)]
        edits += filter(None, [import_edit(path, file.facts, module, imported)])
        return Fix(Applicability.UNSAFE, tuple(edits)), ""

    def _mapped_base(self, project: Project, resolved: Optional[tuple[Path, str]]) -> Optional[str]:
        """The mapped mock that the class ``resolved`` names derives from, if any."""
        if resolved is None or resolved[0] not in project.files:
            return None
        file = project.files[resolved[0]]
        cls = file.classes.get(resolved[1])
        for base in cls.bases if cls else []:
            target = project.resolve_definition(file, base)
            base_name = target[1] if target else base.rpartition(".")[2]
            if base_name in self.options["real-connection-calls"]:
                return base_name
        return None

    def _finding(
        self, file: SourceFile, line: int, column: int, message: str, fix: Optional[Fix], mock: str
    ) -> Finding:
        return Finding(self.name, str(file.path), line, column, line, column, message, fix=fix, data={"mock": mock})


def _class_name(project: Project, file: SourceFile, dotted: str) -> str:
    """The name of the class ``dotted`` names: where it is defined in the tree, else the name an
    import binds it to (``from mocks import MockWebSocketConnection as Connection``)."""
    resolved = project.resolve_definition(file, dotted)
    if resolved is not None:
        return resolved[1]
    if "." not in dotted:
        for imported in reversed(file.facts.imports):
            for name, bound in imported.names:
                if bound == dotted:
                    return name
    return dotted.rpartition(".")[2]


def _missing_real_call(project: Project, file: SourceFile, spec: dict[str, Any]) -> str:
    """Why the real call cannot be written in ``file``: its import does not name a class of the
    tree, or the class lacks a method the call makes; "" when it can."""
    module, _, name = spec["import"].rpartition(".")
    path = project.resolve_import(file, module, 0)
    if path is None:
        return f"`{module}` is not in the tree, so `{name}` cannot be imported from it"
    source = project.source(path)
    resolved = project.resolve_definition(source, name) if source is not None else None
    defining = project.source(resolved[0]) if resolved is not None else None
    if resolved is None or defining is None or resolved[1] not in defining.classes:
        return f"`{module}` defines no class `{name}`"
    call = ast.parse(spec["template"].format(**{param: param for param in spec["params"]}), mode="eval")
    for node in ast.walk(call):
        if (
            isinstance(node, ast.Attribute)
            and _names(node.value, name)
            and resolved[1] + "." + node.attr not in defining.bodies
        ):
            return f"`{name}` ({message_path(defining.path)}) has no method `{node.attr}`"
    return ""


def _names(node: ast.expr, name: str) -> bool:
    """``Name`` or ``Name(...)``."""
    if isinstance(node, ast.Call):
        node = node.func
    return isinstance(node, ast.Name) and node.id == name


def _map_arguments(call: CallFact, params: list[str]) -> Optional[dict[str, str]]:
    if call.has_star_args:
        return None
    positional = [value for keyword, value in call.args if keyword is None]
    if len(positional) > len(params):
        return None
    values = dict(zip(params, positional))
    for keyword, value in call.args:
        if keyword is not None:
            if keyword not in params or keyword in values:
                return None
            values[keyword] = value
    return values if set(values) == set(params) else None
