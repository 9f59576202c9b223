"""Random runnable suites with legacy-mock and required-events problems, for the test against pytest.

A batch is one pytest rootdir: a shared ``test_framework`` (the unified WebSocket mock, built on
``unittest.mock``; an agent bridge and a fake agent that report events; mock and "real"
connections) and one package per seed, ``t<seed>/``, with its own legacy wrappers (named after the
seed, so that the trees of a batch do not share a class name), conftest, test modules and a
``mission_critical/`` suite. Every test passes as generated: a test only asserts what it did.

Each test knows the required events it never sends (``TestCase.missing``), so the test against
pytest can say which tests the helper call that ``required-events-missing`` appends must fail.
The standard helper module (``test_framework/websocket_helpers.py``) is in some batches written by
the generator, and in the others left for ``fixlint fix --write-events-helper`` to write.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

EVENTS = ("agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed")
COLLECTIONS = ("sent_events", "received_events", "events", "captured")  # `captured` is no name fixlint knows

PYTEST_INI = """[pytest]
pythonpath = .
asyncio_mode = {mode}
asyncio_default_fixture_loop_scope = function
markers =
    real_websocket: must run against real connections
"""

# The real connection lives apart from the events helper, which fixlint may have to write.
PYPROJECT = """[tool.fixlint.legacy-mock.real-connection-calls.MockWebSocketConnection]
params = ["user_id", "connection_id"]
template = "await WebSocketConnectionPool().get_real_connection(user_id={user_id}, connection_id={connection_id})"
import = "test_framework.connection_pool.WebSocketConnectionPool"
"""

ROOT_CONFTEST = """import pytest

from test_framework.bridge import AgentBridge


@pytest.fixture
def sent_events():
    return []


@pytest.fixture
def bridge(sent_events):
    return AgentBridge(sent_events)
"""

FRAMEWORK = {
    "test_framework/__init__.py": "",
    "test_framework/fixtures/__init__.py": "",
    "test_framework/fixtures/websocket_manager_mock.py": (
        '''"""The unified WebSocket manager mock: one copy of the state, every call recorded by unittest.mock."""
from unittest.mock import AsyncMock, MagicMock


def create_compliance_mock():
    manager = MagicMock(name="websocket_manager")
    manager.messages = []
    manager.connections = {}

    async def send_to_thread(thread_id, message):
        manager.messages.append({"thread_id": thread_id, **message})
        return True

    def add_connection(user_id, connection):
        manager.connections[user_id] = connection

    manager.send_to_thread = AsyncMock(side_effect=send_to_thread)
    manager.get_events_for_thread = MagicMock(
        side_effect=lambda thread_id: [m for m in manager.messages if m["thread_id"] == thread_id]
    )
    manager.add_connection = MagicMock(side_effect=add_connection)
    manager.remove_connection = MagicMock(side_effect=lambda user_id: manager.connections.pop(user_id, None))
    return manager
'''
    ),
    "test_framework/bridge.py": (
        '''"""An agent bridge that records every event it sends, and a fake agent that drives it."""


class AgentBridge:
    def __init__(self, sent_events):
        self.sent_events = sent_events

    async def notify_agent_started(self, run_id):
        self.sent_events.append({"event_type": "agent_started", "run_id": run_id})

    async def notify_agent_thinking(self, run_id, thought="..."):
        self.sent_events.append({"event_type": "agent_thinking", "run_id": run_id, "thought": thought})

    async def notify_tool_executing(self, run_id, tool):
        self.sent_events.append({"event_type": "tool_executing", "run_id": run_id, "tool": tool})

    async def notify_tool_completed(self, run_id, tool, result=None):
        self.sent_events.append({"event_type": "tool_completed", "run_id": run_id, "tool": tool, "result": result})

    async def notify_agent_completed(self, run_id):
        self.sent_events.append({"event_type": "agent_completed", "run_id": run_id})


class FakeAgent:
    """One scripted turn: thinks (or not), calls its tools, reports every step."""

    def __init__(self, bridge, tools=("search",), think=True):
        self.bridge = bridge
        self.tools = tools
        self.think = think

    async def run_turn(self, run_id):
        await self.bridge.notify_agent_started(run_id)
        if self.think:
            await self.bridge.notify_agent_thinking(run_id, thought="planning")
        for tool in self.tools:
            await self.bridge.notify_tool_executing(run_id, tool)
            await self.bridge.notify_tool_completed(run_id, tool, result="ok")
        await self.bridge.notify_agent_completed(run_id)
'''
    ),
    "test_framework/connections.py": '''"""Mock connections: fine for unit tests, not for mission-critical suites."""


class MockWebSocketConnection:
    def __init__(self, user_id, connection_id):
        self.user_id = user_id
        self.connection_id = connection_id
        self.messages = []

    async def send(self, message):
        self.messages.append(message)
''',
    "test_framework/connection_pool.py": (
        '''"""Stand-in for the real connection pool (no network, so the suites stay runnable)."""


class RealWebSocketConnection:
    def __init__(self, user_id, connection_id):
        self.user_id = user_id
        self.connection_id = connection_id
        self.messages = []

    async def send(self, message):
        self.messages.append(message)


class WebSocketConnectionPool:
    async def get_real_connection(self, *, user_id, connection_id):
        return RealWebSocketConnection(user_id, connection_id)
'''
    ),
}

HAND_WRITTEN_HELPER = """# The standard helper proving the five events a user sees in the agent chat flow.


async def validate_required_events(sent_events):
    required = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]
    found = [event.get("event_type") for event in sent_events]
    missing = [evt for evt in required if evt not in found]
    assert len(missing) == 0, f"Missing required events: {missing}"
    return True
"""


@dataclass
class Wrapper:
    name: str
    home: str  # "module" (t<seed>/legacy_websocket.py), "conftest", or "local" (a test module of its own)
    methods: list[str]
    takes_label: bool
    adapts: bool  # its get_events_for_thread hands back event types, not the messages


@dataclass
class TestCase:
    module: str  # from the batch root
    cls: Optional[str]
    name: str
    decorators: list[str]
    params: list[str]
    body: list[str]
    asynchronous: bool = True
    missing: tuple[str, ...] = EVENTS  # the required events the test never sends

    @property
    def nodeid(self) -> str:
        return "::".join(part for part in (self.module, self.cls, self.name) if part)

    def render(self, strict: bool) -> list[str]:
        indent = "    " if self.cls else ""
        marks = list(self.decorators) + (["@pytest.mark.asyncio"] if self.asynchronous and strict else [])
        params = (["self"] if self.cls else []) + self.params
        lines = [f"{indent}{mark}" for mark in marks]
        lines.append(f"{indent}{'async ' if self.asynchronous else ''}def {self.name}({', '.join(params)}):")
        lines += [f"{indent}    {line}" for line in self.body]
        return lines


@dataclass
class Module:
    path: str
    imports: list[str] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)  # classes, helpers, constants
    tests: list[TestCase] = field(default_factory=list)

    def render(self, strict: bool) -> str:
        lines = ["import pytest", *dict.fromkeys(self.imports), "", ""]
        if self.preamble:
            lines += self.preamble + ["", ""]
        classes: dict[Optional[str], list[TestCase]] = {}
        for test in self.tests:
            classes.setdefault(test.cls, []).append(test)
        for cls, tests in classes.items():
            if cls:
                lines.append(f"class {cls}:")
                for test in tests:
                    lines += test.render(strict) + [""]
                lines.append("")
            else:
                for test in tests:
                    lines += test.render(strict) + ["", ""]
        return "\n".join(lines).rstrip() + "\n"


@dataclass
class Suite:
    seed: int
    files: dict[str, str]  # extra files: wrappers, conftest
    modules: list[Module]

    @property
    def tests(self) -> list[TestCase]:
        return [test for module in self.modules for test in module.tests]


@dataclass
class Batch:
    strict: bool
    helper_present: bool
    suites: list[Suite]

    @property
    def tests(self) -> list[TestCase]:
        return [test for suite in self.suites for test in suite.tests]

    def render(self, root: Path) -> None:
        files = {
            "pytest.ini": PYTEST_INI.format(mode="strict" if self.strict else "auto"),
            "pyproject.toml": PYPROJECT,
            "conftest.py": ROOT_CONFTEST,
            **FRAMEWORK,
        }
        if self.helper_present:
            files["test_framework/websocket_helpers.py"] = HAND_WRITTEN_HELPER
        for suite in self.suites:
            files.update(suite.files)
            for module in suite.modules:
                files[module.path] = module.render(self.strict)
        for path, text in files.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)


def batch_settings(index: int) -> tuple[bool, bool]:
    """(asyncio strict mode, helper module present) of batch number ``index``: the modes take
    turns, so that a few batches see both."""
    return index % 2 == 0, random.Random(index * 7919 + 1).random() < 0.5


# -- one tree -----------------------------------------------------------------------------------


class _Writer:
    def __init__(self, seed: int, helper_present: bool) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.helper_present = helper_present
        self.package = f"t{seed}"
        # Drawn apart, so that adding them kept the rest of each tree: the key the tree's own
        # messages carry their type under (the bridge always says "event_type"), and which
        # wrappers adapt what they hand back.
        shapes = random.Random(seed * 31 + 7)
        self.key = shapes.choice(("event_type", "event_type", "event_type", "type"))
        self.adapting = [shapes.random() < 0.25 for _ in range(2)]
        self.serial = 0
        self.files: dict[str, str] = {
            f"{self.package}/__init__.py": "",
            f"{self.package}/mission_critical/__init__.py": "",
        }
        self.modules: dict[str, Module] = {}
        self.wrappers: list[Wrapper] = []
        self.conftest_extra: list[str] = []

    def name(self, stem: str) -> str:
        self.serial += 1
        return f"test_{stem}_{self.serial}"

    def module(self, stem: str) -> Module:
        path = f"{self.package}/{stem}.py"
        return self.modules.setdefault(path, Module(path))

    # -- legacy wrappers ----------------------------------------------------------------------
    def wrapper_class(
        self, name: str, inner: str, methods: list[str], extra: bool, takes_name: bool, adapts: bool
    ) -> list[str]:
        init = 'def __init__(self, label="ws"):' if takes_name else "def __init__(self):"
        lines = [f"class {name}:", f"    {init}", f"        self.{inner} = create_compliance_mock()"]
        lines += [
            "        # Backward compatibility attributes",
            "        self.messages = []",
            "        self.connections = {}",
        ]
        if takes_name:
            lines.append("        self.label = label")
        bodies = {
            "send_to_thread": [
                "async def send_to_thread(self, thread_id, message):",
                f"    await self.{inner}.send_to_thread(thread_id, message)",
                f"    self.messages = self.{inner}.messages",
            ],
            "get_events_for_thread": [
                "def get_events_for_thread(self, thread_id):",
                f'    return [m["{self.key}"] for m in self.{inner}.get_events_for_thread(thread_id)]'
                if adapts
                else f"    return self.{inner}.get_events_for_thread(thread_id)",
            ],
            "add_connection": [
                "def add_connection(self, user_id, connection):",
                f"    self.{inner}.add_connection(user_id, connection)",
                f"    self.connections = self.{inner}.connections",
            ],
            "remove_connection": [
                "def remove_connection(self, user_id):",
                f"    self.{inner}.remove_connection(user_id)",
                f"    self.connections = self.{inner}.connections",
            ],
        }
        for method in methods:
            lines += [""] + [f"    {line}" for line in bodies[method]]
        if extra:
            lines += [
                "",
                "    def sent_event_types(self):",
                f'        return [message.get("{self.key}") for message in self.messages]',
            ]
        return lines

    def make_wrappers(self) -> None:
        rng = self.rng
        count = rng.choice((1, 1, 2))
        where = rng.choice(("module", "module", "conftest", "local"))
        text = ["from test_framework.fixtures.websocket_manager_mock import create_compliance_mock", "", ""]
        for index in range(count):
            name = f"LegacyMockWebSocketManagerT{self.seed}" if index == 0 else f"CompatWebSocketManagerT{self.seed}"
            methods = ["send_to_thread"] + [
                m for m in ("get_events_for_thread", "add_connection", "remove_connection") if rng.random() < 0.7
            ]
            inner = rng.choice(("_unified_mock", "_inner", "_mock"))
            takes_label = rng.random() < 0.2
            adapts = self.adapting[index] and "get_events_for_thread" in methods
            lines = self.wrapper_class(
                name, inner, methods, extra=rng.random() < 0.3, takes_name=takes_label, adapts=adapts
            )
            text += lines + ["", ""]
            self.wrappers.append(Wrapper(name, where, methods, takes_label, adapts))
        if where == "module":
            self.files[f"{self.package}/legacy_websocket.py"] = "\n".join(text).rstrip() + "\n"
        elif where == "conftest":
            self.conftest_extra = text
        else:
            module = self.module("test_legacy_local")
            module.imports.append(text[0])
            module.preamble += text[3:]

    def wrapper_expr(self, module: Module, wrapper: Wrapper) -> str:
        """How ``module`` instantiates the wrapper: imported by name, under an alias, through its
        module; now and then with an argument (which the fix leaves alone)."""
        name = wrapper.name
        args = '(label="chat")' if wrapper.takes_label and self.rng.random() < 0.5 else "()"
        if wrapper.home == "local" and module.path.endswith("test_legacy_local.py"):
            return f"{name}{args}"
        if wrapper.home == "conftest":
            return ""  # reached through the fixture only
        home = f"{self.package}.legacy_websocket" if wrapper.home == "module" else f"{self.package}.test_legacy_local"
        style = self.rng.choice(("name", "name", "alias", "module"))
        if style == "name":
            module.imports.append(f"from {home} import {name}")
            return f"{name}{args}"
        if style == "alias":
            alias = f"Manager{name[:6]}"
            module.imports.append(f"from {home} import {name} as {alias}")
            return f"{alias}{args}"
        module.imports.append(f"import {home} as legacy_home")
        return f"legacy_home.{name}{args}"

    # -- tests ----------------------------------------------------------------------------------
    def manager_test(self, module: Module, cls: Optional[str]) -> None:
        """A test that drives a legacy manager (or the unified mock) and asserts on its state."""
        rng = self.rng
        wrapper = rng.choice(self.wrappers)
        methods = wrapper.methods
        params: list[str] = []
        body: list[str] = []
        expr = self.wrapper_expr(module, wrapper)
        if not expr or (rng.random() < 0.25 and self.has_manager_fixture):
            params.append("websocket_manager")
            wrapper = self.wrappers[0]
            methods = wrapper.methods
        else:
            body.append(f"manager = {expr}")
        manager = "websocket_manager" if params else "manager"
        messages: list[tuple[str, str]] = []
        connections: dict[str, str] = {}
        sent: set[str] = set()
        for _ in range(rng.randint(1, 5)):
            op = rng.choice([m for m in methods if m != "get_events_for_thread"])
            if op == "send_to_thread":
                thread = rng.choice(("thread-1", "thread-2"))
                event = rng.choice(EVENTS + ("status_update",))
                body.append(f'await {manager}.send_to_thread("{thread}", {{"{self.key}": "{event}"}})')
                messages.append((thread, event))
                sent.add(event)
            elif op == "add_connection":
                user = rng.choice(("user-1", "user-2"))
                body.append(f'{manager}.add_connection("{user}", "conn-{user}")')
                connections[user] = f"conn-{user}"
            else:
                user = rng.choice(("user-1", "user-2"))
                body.append(f'{manager}.remove_connection("{user}")')
                connections.pop(user, None)
        checks = []
        if messages:
            rendered = ", ".join(f'{{"thread_id": "{t}", "{self.key}": "{e}"}}' for t, e in messages)
            checks.append(f"assert {manager}.messages == [{rendered}]")
            checks.append(f"assert len({manager}.messages) == {len(messages)}")
            if "get_events_for_thread" in methods:
                thread = messages[0][0]
                events = [e for t, e in messages if t == thread]
                if wrapper.adapts:
                    checks.append(f'assert {manager}.get_events_for_thread("{thread}") == {events!r}')
                else:
                    checks.append(
                        f'assert [m["{self.key}"] for m in {manager}.get_events_for_thread("{thread}")] == {events!r}'
                    )
        if "add_connection" in methods or "remove_connection" in methods:
            checks.append(f"assert {manager}.connections == {connections!r}")
        if not checks:
            checks.append(f"assert {manager}.messages == []")
        body += rng.sample(checks, k=rng.randint(1, len(checks)))
        asynchronous = any("await" in line for line in body) or rng.random() < 0.5
        module.tests.append(
            TestCase(module.path, cls, self.name("manager"), [], params, body, asynchronous, _missing(sent))
        )

    def unified_test(self, module: Module, cls: Optional[str]) -> None:
        """A test already on the unified mock, asserting its calls the unittest.mock way."""
        rng = self.rng
        module.imports.append("from test_framework.fixtures.websocket_manager_mock import create_compliance_mock")
        event = rng.choice(EVENTS)
        body = [
            "manager = create_compliance_mock()",
            f'await manager.send_to_thread("thread-7", {{"event_type": "{event}"}})',
            f'manager.send_to_thread.assert_awaited_once_with("thread-7", {{"event_type": "{event}"}})',
            'manager.add_connection("user-7", "conn-7")',
            "manager.add_connection.assert_called_once()",
            'assert manager.connections == {"user-7": "conn-7"}',
        ]
        module.tests.append(TestCase(module.path, cls, self.name("unified"), [], [], body, True, _missing({event})))

    def event_test(self, module: Module, cls: Optional[str]) -> None:
        """A test of the agent event flow: sends some events, checks some of those it sent."""
        rng = self.rng
        params: list[str] = []
        body: list[str] = []
        style = rng.choice(("bridge", "bridge", "agent", "manager"))
        collection = rng.choice(COLLECTIONS)
        if style in ("bridge", "agent"):
            module.imports.append("from test_framework.bridge import AgentBridge")
            if collection == "sent_events" and rng.random() < 0.6:
                params += ["sent_events", "bridge"]
            else:
                body += [f"{collection} = []", f"bridge = AgentBridge({collection})"]
            run_id = f'"r{self.serial}"'
            if style == "bridge":
                sent = [e for e in EVENTS if rng.random() < 0.85 or e in ("agent_started",)]
                for event in sent:
                    extra = ', "search"' if event.startswith("tool_") else ""
                    body.append(f"await bridge.notify_{event}({run_id}{extra})")
            else:
                module.imports.append("from test_framework.bridge import FakeAgent")
                tools = rng.choice(((), ("search",), ("search", "calc")))
                think = rng.random() < 0.8
                body.append(f"agent = FakeAgent(bridge, tools={tools!r}, think={think})")
                body.append(f"await agent.run_turn({run_id})")
                sent = [e for e in EVENTS if (tools or not e.startswith("tool_")) and (think or e != "agent_thinking")]
            events_expr = collection
        else:
            wrapper = rng.choice(self.wrappers)
            expr = self.wrapper_expr(module, wrapper) or "create_compliance_mock()"
            if expr == "create_compliance_mock()":
                module.imports.append(
                    "from test_framework.fixtures.websocket_manager_mock import create_compliance_mock"
                )
            body.append(f"manager = {expr}")
            sent = [e for e in EVENTS if rng.random() < 0.85]
            body.append(f"for event_type in {sent!r}:")
            body.append(f'    await manager.send_to_thread("thread-1", {{"{self.key}": event_type}})')
            events_expr = "manager.messages"
        checks = rng.choice(("per_event", "per_event", "some", "loop", "none", "count", "helper"))
        if checks == "loop" and len(sent) == len(EVENTS):
            constant = f"REQUIRED_EVENTS = {list(EVENTS)!r}"
            if constant not in module.preamble:
                module.preamble.append(constant)
            key = "event_type" if style != "manager" else self.key
            body.append(f'types = {{e["{key}"] for e in {events_expr}}}')
            body += ["for required in REQUIRED_EVENTS:", "    assert required in types"]
        elif (
            checks == "helper"
            and self.helper_present
            and len(sent) == len(EVENTS)
            and (style != "manager" or self.key == "event_type")
        ):
            # The helper reads "event_type": it checks nothing else as generated.
            module.imports.append("from test_framework.websocket_helpers import validate_required_events")
            body.append(f"await validate_required_events({events_expr})")
        elif checks in ("per_event", "some", "loop", "helper"):
            chosen = sent if checks == "per_event" else [e for e in sent if rng.random() < 0.5] or sent[:1]
            key = "event_type" if style != "manager" else self.key
            body.append(f'event_types = [e["{key}"] for e in {events_expr}]')
            body += [f'assert "{event}" in event_types' for event in chosen]
            if sent and rng.random() < 0.5:
                body.append(f'assert event_types[-1] == "{sent[-1]}"')
        elif checks == "count":
            body.append(f"assert len({events_expr}) >= {len(sent)}")
        # A name that promises every event: reported (and given the helper) whatever it sends.
        stem = "all_five_events_flow" if rng.random() < 0.4 else "flow"
        module.tests.append(TestCase(module.path, cls, self.name(stem), [], params, body, True, _missing(set(sent))))

    def connection_test(self, module: Module, cls: Optional[str], marked: bool) -> None:
        """A test that builds a mock connection where real ones are required (by path or by mark)."""
        rng = self.rng
        module.imports.append("from test_framework.connections import MockWebSocketConnection")
        user, conn = f"u{self.serial}", f"c{self.serial}"
        asynchronous = rng.random() < 0.75
        if rng.random() < 0.5:
            body = [f'conn = MockWebSocketConnection("{user}", "{conn}")']
        else:
            body = [
                f'user_id = "{user}"',
                f'connection_id = "{conn}"',
                "conn = MockWebSocketConnection(user_id=user_id, connection_id=connection_id)",
            ]
        payload = rng.choice(('{"kind": "ping"}', f'{{"{self.key}": "agent_started"}}'))
        sent: set[str] = set()
        if asynchronous:
            body.append(f"await conn.send({payload})")
            body.append(f"assert conn.messages == [{payload}]")
            if "agent_started" in payload:
                sent.add("agent_started")
        body.append(f'assert (conn.user_id, conn.connection_id) == ("{user}", "{conn}")')
        decorators = ["@pytest.mark.real_websocket"] if marked else []
        module.tests.append(
            TestCase(module.path, cls, self.name("connection"), decorators, [], body, asynchronous, _missing(sent))
        )

    def build(self) -> Suite:
        rng = self.rng
        self.make_wrappers()
        # A conftest fixture that hands tests a manager: the wrapper, or already the unified mock.
        self.has_manager_fixture = rng.random() < 0.6 or any(w.home == "conftest" for w in self.wrappers)
        conftest = ["import pytest"]
        if self.conftest_extra:
            conftest += self.conftest_extra[:1] + ["", ""] + self.conftest_extra[3:]
        if self.has_manager_fixture:
            wrapper = self.wrappers[0]
            made = f"{wrapper.name}()"
            if wrapper.home != "conftest":
                home = "legacy_websocket" if wrapper.home == "module" else "test_legacy_local"
                conftest.insert(1, f"from {self.package}.{home} import {wrapper.name}")
            conftest += ["", "", "@pytest.fixture", "def websocket_manager():", f"    return {made}"]
        self.files[f"{self.package}/conftest.py"] = "\n".join(conftest).rstrip() + "\n"
        stems = ["test_agent_events", "test_threads", "test_websocket_bridge", "test_chat_flow"]
        if any(w.home == "local" for w in self.wrappers):
            stems.append("test_legacy_local")
        for _ in range(rng.randint(5, 10)):
            module = self.module(rng.choice(stems))
            cls = f"TestFlowT{self.seed}" if rng.random() < 0.2 else None
            kind = rng.random()
            if kind < 0.35:
                self.manager_test(module, cls)
            elif kind < 0.8:
                self.event_test(module, cls)
            else:
                self.unified_test(module, cls)
        suite_module = self.module("mission_critical/test_websocket_connections")
        for _ in range(rng.randint(0, 3)):
            self.connection_test(suite_module, None, marked=False)
        if rng.random() < 0.4:
            self.connection_test(self.module("test_unit_connections"), None, marked=True)
        modules = [module for module in self.modules.values() if module.tests]
        for module in self.modules.values():
            if not module.tests and module.preamble:  # the wrapper's home must exist even without tests
                modules.append(module)
        return Suite(self.seed, self.files, modules)


def _missing(sent: set[str]) -> tuple[str, ...]:
    return tuple(event for event in EVENTS if event not in sent)


def generate(seed: int, helper_present: bool) -> Suite:
    return _Writer(seed, helper_present).build()
