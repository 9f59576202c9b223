#!/usr/bin/env python3
"""Generate a realistic, deterministic pytest test tree for benchmarking fixlint.

    python bench/make_corpus.py OUT_DIR [--files N] [--seed S]

N test files (default 3000) of about 20 KB each, ~50 per folder, folders nested 2-3 deep,
a conftest chain with overrides, a ``test_framework/`` helper package, and about 5% of the
files carrying one real problem each (one per rule family, in rotation). Stdlib only.
"""

import argparse
import os
import random
import sys

FILES_PER_FOLDER = 50
PROBLEM_EVERY = 20  # 1 file in 20 (5%) carries a problem
TARGET_MIN, TARGET_MAX = 18000, 22500  # bytes; the average lands near 20 KB

EVENTS = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]

WORDS = [
    "billing",
    "auth",
    "session",
    "thread",
    "agent",
    "tool",
    "cache",
    "router",
    "payment",
    "invoice",
    "tenant",
    "profile",
    "search",
    "index",
    "upload",
    "export",
    "report",
    "audit",
    "quota",
    "schedule",
    "workflow",
    "message",
    "channel",
    "presence",
    "token",
    "secret",
    "metrics",
    "trace",
    "policy",
    "catalog",
    "order",
    "refund",
    "ledger",
    "webhook",
    "retry",
    "stream",
    "batch",
    "queue",
    "notify",
    "summary",
    "planner",
    "memory",
    "vector",
    "embedding",
]
AREAS = ["services", "agents", "integration", "platform", "unit", "e2e"]
LEAVES = ["api", "core", "flows", "storage", "handlers", "models"]
HEADER_FIELDS = ["X-Request-Id", "X-Tenant", "Authorization", "Accept", "X-Trace"]


# ---------------------------------------------------------------------------------------------
# static files
# ---------------------------------------------------------------------------------------------

PYTEST_INI = """[pytest]
asyncio_mode = strict
asyncio_default_fixture_loop_scope = function
pythonpath = .
markers =
    slow: slow tests
    unit: unit tests
    integration: integration tests
    real_websocket: tests that must use a real connection
"""

ROOT_CONFTEST = '''"""Root fixtures shared by every suite of the benchmark corpus."""
import os

import pytest
import pytest_asyncio

from test_framework.fixtures.websocket_manager_mock import create_compliance_mock
from test_framework.websocket_mocks import MockWebSocketConnection


class _Bridge:
    """A tiny agent bridge that records every event it sends."""

    def __init__(self, sink):
        self._sink = sink

    async def _emit(self, event_type, run_id, **payload):
        self._sink.append({"event_type": event_type, "run_id": run_id, "payload": payload})

    async def notify_agent_started(self, run_id, **payload):
        await self._emit("agent_started", run_id, **payload)

    async def notify_agent_thinking(self, run_id, **payload):
        await self._emit("agent_thinking", run_id, **payload)

    async def notify_tool_executing(self, run_id, **payload):
        await self._emit("tool_executing", run_id, **payload)

    async def notify_tool_completed(self, run_id, **payload):
        await self._emit("tool_completed", run_id, **payload)

    async def notify_agent_completed(self, run_id, **payload):
        await self._emit("agent_completed", run_id, **payload)


# -- session ---------------------------------------------------------------------------------

@pytest.fixture(scope="session", autouse=True)
def app_config():
    return {"env": "test", "region": "eu-west-1", "debug": False}


@pytest.fixture(scope="session", autouse=True)
def configure_logging(app_config):
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    yield app_config


@pytest.fixture(scope="session")
def database_url(app_config):
    return "sqlite:///:memory:?region=" + app_config["region"]


@pytest.fixture(scope="session")
def settings():
    return {"timeout": 30, "retries": 3, "area": "root"}


@pytest.fixture(scope="session")
def feature_flags():
    return {"streaming": True, "planner_v2": False}


@pytest.fixture(scope="session", params=["v1", "v2"])
def api_version(request):
    return request.param


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def async_engine(database_url):
    yield {"url": database_url, "pool": []}


# -- package / module / class ----------------------------------------------------------------

@pytest.fixture(scope="package")
def package_workspace(tmp_path_factory):
    return tmp_path_factory.mktemp("package")


@pytest.fixture(scope="module")
def module_client(database_url):
    client = {"url": database_url, "calls": []}
    yield client
    client["calls"].clear()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def agent_registry():
    return {"agents": ["triage", "data", "reporting"]}


@pytest.fixture(scope="class")
def class_state():
    return {"counter": 0, "seen": []}


# -- function --------------------------------------------------------------------------------

@pytest.fixture
def user_id():
    return "user-0001"


@pytest.fixture
def connection_id():
    return "conn-0001"


@pytest.fixture
def thread_id():
    return "thread-0001"


@pytest.fixture
def run_id():
    return "run-0001"


@pytest.fixture
def tenant():
    return {"id": "tenant-root", "plan": "enterprise"}


@pytest.fixture
def request_headers(tenant):
    return {"X-Tenant": tenant["id"], "Accept": "application/json"}


@pytest.fixture
def sent_events():
    return []


@pytest.fixture
def bridge(sent_events):
    return _Bridge(sent_events)


@pytest.fixture
def compliance_mock():
    return create_compliance_mock()


@pytest.fixture
def mock_connection(user_id, connection_id):
    return MockWebSocketConnection(user_id, connection_id)


@pytest.fixture(params=["memory", "sqlite"])
def backend(request):
    return {"kind": request.param, "rows": []}


@pytest_asyncio.fixture
async def async_client(module_client, async_engine):
    yield {"client": module_client, "engine": async_engine}
'''

FRAMEWORK_FILES = {
    "test_framework/__init__.py": '"""Shared helpers of the benchmark corpus."""\n',
    "test_framework/fixtures/__init__.py": "",
    "test_framework/fixtures/websocket_manager_mock.py": '''"""The unified WebSocket mock: one copy of the state."""


class ComplianceWebSocketMock:
    def __init__(self):
        self.messages = []
        self.connections = {}

    async def send_to_thread(self, thread_id, message):
        self.messages.append({"thread_id": thread_id, **message})

    def add_connection(self, user_id, connection):
        self.connections[user_id] = connection


def create_compliance_mock():
    return ComplianceWebSocketMock()
''',
    "test_framework/legacy_websocket.py": '''"""The legacy wrapper: a second copy of the unified mock's state."""
from test_framework.fixtures.websocket_manager_mock import create_compliance_mock


class LegacyMockWebSocketManager:
    def __init__(self):
        self._unified_mock = create_compliance_mock()
        self.messages = []
        self.connections = {}

    async def send_to_thread(self, thread_id, message):
        await self._unified_mock.send_to_thread(thread_id, message)
        self.messages = self._unified_mock.messages

    def add_connection(self, user_id, connection):
        self._unified_mock.add_connection(user_id, connection)
        self.connections = self._unified_mock.connections
''',
    "test_framework/websocket_mocks.py": '''"""Mock connections for unit tests (never in mission_critical suites)."""


class MockWebSocketConnection:
    def __init__(self, user_id, connection_id):
        self.user_id = user_id
        self.connection_id = connection_id
        self.sent = []

    async def send_json(self, payload):
        self.sent.append(payload)
''',
    "test_framework/websocket_helpers.py": (
        '''"""Helpers: the real connection pool stand-in and the standard events check."""
from test_framework.websocket_mocks import MockWebSocketConnection


class WebSocketConnectionPool:
    async def get_real_connection(self, *, user_id, connection_id):
        return MockWebSocketConnection(user_id, connection_id)


async def validate_required_events(sent_events):
    required = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]
    found = [event.get("event_type") for event in sent_events]
    missing = [evt for evt in required if evt not in found]
    assert len(missing) == 0, f"Missing required events: {missing}"
    return True
'''
    ),
}


def folder_conftest(rng, rel, depth):
    """A conftest for one folder: overrides of a few root names, one autouse fixture."""
    tag = rel.replace(os.sep, "_").replace("/", "_")
    parts = ['"""Fixtures of %s (level %d)."""\nimport pytest\n\n' % (rel, depth)]
    parts.append(
        "\n@pytest.fixture(autouse=True)\n"
        "def _reset_%s_state(monkeypatch):\n"
        '    monkeypatch.setenv("SUITE_AREA", %r)\n'
        "    yield\n" % (tag, tag)
    )
    # overrides that request their own name (the next definition out)
    parts.append(
        "\n\n@pytest.fixture\n"
        "def settings(settings):\n"
        "    merged = dict(settings)\n"
        '    merged["area"] = %r\n'
        '    merged["timeout"] = settings["timeout"] + %d\n'
        "    return merged\n" % (tag, depth)
    )
    if rng.random() < 0.6:
        parts.append('\n\n@pytest.fixture\ndef tenant(tenant):\n    return {**tenant, "id": %r}\n' % ("tenant-" + tag))
    else:
        parts.append(
            "\n\n@pytest.fixture\n"
            "def tenant():\n"
            '    return {"id": %r, "plan": %r}\n' % ("tenant-" + tag, rng.choice(["free", "team", "enterprise"]))
        )
    if rng.random() < 0.5:
        parts.append(
            '\n\n@pytest.fixture(scope="session")\n'
            "def feature_flags(feature_flags):\n"
            "    return {**feature_flags, %r: True}\n" % ("flag_" + tag)
        )
    parts.append(
        '\n\n@pytest.fixture(scope="module")\n'
        "def %s_catalog(module_client):\n"
        '    return {"client": module_client, "items": [%s]}\n'
        % (tag, ", ".join(repr(w) for w in rng.sample(WORDS, 4)))
    )
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# test module generator
# ---------------------------------------------------------------------------------------------


class ModuleWriter:
    def __init__(self, rng, name, index, mission_critical, problem):
        self.rng = rng
        self.name = name
        self.index = index
        self.mc = mission_critical
        self.problem = problem
        self.chunks = []
        self.counter = 0

    def uid(self):
        self.counter += 1
        return self.counter

    def word(self):
        return self.rng.choice(WORDS)

    # -- header ---------------------------------------------------------------------------
    def header(self):
        r = self.rng
        doc = (
            '"""Tests for the %s %s component (generated module %d).\n\n'
            "Covers the happy path, error handling and the agent event flow where it applies.\n"
            '"""\n' % (self.name, self.word(), self.index)
        )
        imports = ["import asyncio", "import json", "import os", "", "import pytest", "import pytest_asyncio", ""]
        imports.append("from test_framework.websocket_helpers import validate_required_events")
        if self.mc:
            imports.append("from test_framework.websocket_helpers import WebSocketConnectionPool")
        if not self.mc or self.problem == "mock-connection":
            imports.append("from test_framework.websocket_mocks import MockWebSocketConnection")
        if self.problem == "legacy-mock-wrapper":
            imports.append("from test_framework.legacy_websocket import LegacyMockWebSocketManager")
        marks = ['pytest.mark.usefixtures("package_workspace")']
        if r.random() < 0.5:
            marks.append("pytest.mark.%s" % r.choice(["unit", "integration"]))
        if self.mc:
            marks.append("pytest.mark.real_websocket")
        pm = "pytestmark = [%s]\n" % ", ".join(marks)
        consts = "\nDEFAULT_LIMIT = %d\nRETRY_DELAYS = (%s)\nSERVICE_NAME = %r\n" % (
            r.randint(10, 500),
            ", ".join(str(r.choice([0.1, 0.2, 0.5, 1.0, 2.0])) for _ in range(3)),
            "%s-%s" % (self.name, self.word()),
        )
        self.chunks.append(doc + "\n".join(imports) + "\n\n" + pm + consts)

    # -- helpers --------------------------------------------------------------------------
    def helper(self):
        n = self.uid()
        w, w2 = self.word(), self.word()
        self.chunks.append(
            f'''

def _build_{w}_records_{n}(count, prefix={w[:3]!r}):
    """Build ``count`` fake {w} records keyed by id."""
    records = {{}}
    for idx in range(count):
        key = "%s-%04d" % (prefix, idx)
        records[key] = {{
            "id": key,
            "{w2}": idx * {self.rng.randint(2, 9)},
            "labels": ["{w}", "{w2}", str(idx % 7)],
            "active": idx % 3 != 0,
        }}
    return records


def _format_{w}_summary_{n}(records):
    # A stable, human-readable summary used in assertion messages.
    lines = []
    for key in sorted(records):
        item = records[key]
        lines.append(f"{{key}}: {{item['{w2}']}} ({{'on' if item['active'] else 'off'}})")
    return "\\n".join(lines)
'''
        )
        return "_build_%s_records_%d" % (w, n), "_format_%s_summary_%d" % (w, n)

    def local_fixture(self):
        n = self.uid()
        w = self.word()
        scope = self.rng.choice(["function", "function", "module"])
        dep = "module_client" if scope == "module" else self.rng.choice(["tenant", "settings", "user_id"])
        dec = "@pytest.fixture" if scope == "function" else "@pytest.fixture(scope=%r)" % scope
        self.chunks.append(
            f'''

{dec}
def {w}_payload_{n}({dep}):
    """A {w} payload built on top of ``{dep}``."""
    payload = {{"kind": "{w}", "source": {dep!r}, "items": []}}
    for idx in range({self.rng.randint(3, 12)}):
        payload["items"].append({{"idx": idx, "value": "{w}-%d" % idx}})
    return payload
'''
        )
        return "%s_payload_%d" % (w, n)

    # -- tests ----------------------------------------------------------------------------
    def plain_test(self, helpers, indent=""):
        n = self.uid()
        w = self.word()
        build, fmt = helpers
        self_arg = "self, " if indent else ""
        fixtures = self.rng.sample(
            ["settings", "tenant", "request_headers", "user_id", "module_client", "feature_flags", "api_version"], 2
        )
        body = '''
def test_{w}_records_are_consistent_{n}({self_arg}{f0}, {f1}):
    """Records built for {w} keep their ids, labels and activity flags."""
    records = {build}({k})
    summary = {fmt}(records)
    assert len(records) == {k}
    # every record carries its own key as id
    for key, item in records.items():
        assert item["id"] == key
        assert "{w}" in item["labels"]
    active = [key for key, item in records.items() if item["active"]]
    assert len(active) <= {k}
    assert summary.count("\\n") == {k} - 1, summary
    assert {f0} is not None and {f1} is not None
'''.format(w=w, n=n, self_arg=self_arg, f0=fixtures[0], f1=fixtures[1], build=build, fmt=fmt, k=self.rng.randint(5, 40))
        self.chunks.append("\n" + _indent(body, indent))

    def parametrized_test(self, indent=""):
        n = self.uid()
        w = self.word()
        self_arg = "self, " if indent else ""
        cases = ", ".join('("%s-%d", %d)' % (w, i, i * self.rng.randint(1, 9)) for i in range(self.rng.randint(3, 6)))
        body = f"""
@pytest.mark.parametrize(("name", "size"), [{cases}])
def test_{w}_serialises_{n}({self_arg}name, size, settings):
    document = {{"name": name, "size": size, "tags": [name.upper(), name.lower()]}}
    encoded = json.dumps(document, sort_keys=True)
    decoded = json.loads(encoded)
    assert decoded == document
    assert f"{{name}}" in encoded
    assert settings["timeout"] > 0
"""
        self.chunks.append("\n" + _indent(body, indent))

    def indirect_test(self, indent=""):
        n = self.uid()
        w = self.word()
        self_arg = "self, " if indent else ""
        body = f'''
@pytest.mark.parametrize("backend", ["memory", "sqlite", "postgres"], indirect=True)
def test_{w}_backend_roundtrip_{n}({self_arg}backend, tenant):
    """Rows written through the backend come back unchanged."""
    rows = [{{"tenant": tenant["id"], "row": idx, "{w}": idx * 2}} for idx in range({self.rng.randint(3, 20)})]
    backend["rows"].extend(rows)
    assert backend["rows"] == rows
    assert all(row["tenant"] == tenant["id"] for row in backend["rows"])
'''
        self.chunks.append("\n" + _indent(body, indent))

    def usefixtures_test(self, indent=""):
        n = self.uid()
        w = self.word()
        self_arg = "self" if indent else ""
        body = """
@pytest.mark.usefixtures("module_client", "feature_flags")
def test_{w}_environment_is_configured_{n}({self_arg}):
    # the autouse fixtures of the conftest chain set the area
    assert os.environ.get("SUITE_AREA")
    values = {{name: len(name) for name in ({names})}}
    assert sum(values.values()) > 0
""".format(w=w, n=n, self_arg=self_arg, names=", ".join(repr(x) for x in self.rng.sample(WORDS, 4)))
        self.chunks.append("\n" + _indent(body, indent))

    def async_test(self, indent=""):
        n = self.uid()
        w = self.word()
        self_arg = "self, " if indent else ""
        body = '''
@pytest.mark.asyncio
async def test_{w}_async_client_{n}({self_arg}async_client, thread_id):
    """The async client answers {k} sequential calls for one thread."""
    results = []
    for attempt in range({k}):
        await asyncio.sleep(0)
        results.append({{"thread": thread_id, "attempt": attempt, "ok": True}})
    async_client["client"]["calls"].extend(results)
    assert len(results) == {k}
    assert all(item["ok"] for item in results)
'''.format(w=w, n=n, self_arg=self_arg, k=self.rng.randint(2, 8))
        self.chunks.append("\n" + _indent(body, indent))

    def event_flow_test(self, indent="", style=None):
        n = self.uid()
        w = self.word()
        self_arg = "self, " if indent else ""
        style = style or self.rng.choice(["helper", "helper_plus_assert"])
        lines = [
            "",
            "@pytest.mark.asyncio",
            "async def test_%s_agent_flow_%d(%sbridge, sent_events, run_id):" % (w, n, self_arg),
            '    """The %s agent reports every step of its run."""' % w,
            "    await bridge.notify_agent_started(run_id, agent=%r)" % w,
            '    await bridge.notify_agent_thinking(run_id, thought="planning %s")' % w,
            "    for step in range(%d):" % self.rng.randint(1, 4),
            '        await bridge.notify_tool_executing(run_id, tool="%s_tool", step=step)' % w,
            '        await bridge.notify_tool_completed(run_id, tool="%s_tool", step=step)' % w,
            '    await bridge.notify_agent_completed(run_id, result={"status": "ok"})',
            '    event_types = [event["event_type"] for event in sent_events]',
        ]
        if style == "missing":
            lines += [
                '    assert "agent_started" in event_types',
                '    assert "agent_completed" in event_types',
            ]
        elif style == "by_hand":
            lines += ['    assert "%s" in event_types' % e for e in EVENTS]
        else:
            if style == "helper_plus_assert":
                lines.append('    assert "agent_started" in event_types')
            lines.append("    await validate_required_events(sent_events)")
        lines.append('    assert event_types[-1] == "agent_completed"')
        self.chunks.append("\n" + _indent("\n".join(lines) + "\n", indent))

    def connection_test(self, indent="", mock=None):
        n = self.uid()
        w = self.word()
        self_arg = "self, " if indent else ""
        mock = (not self.mc) if mock is None else mock
        if mock:
            make = "connection = MockWebSocketConnection(user_id, connection_id)"
        else:
            make = (
                "connection = await WebSocketConnectionPool().get_real_connection("
                "user_id=user_id, connection_id=connection_id)"
            )
        body = """
@pytest.mark.asyncio
async def test_{w}_connection_sends_{n}({self_arg}user_id, connection_id):
    {make}
    for idx in range({k}):
        await connection.send_json({{"type": "{w}", "seq": idx}})
    assert connection.user_id == user_id
    assert [item["seq"] for item in connection.sent] == list(range({k}))
""".format(w=w, n=n, self_arg=self_arg, make=make, k=self.rng.randint(2, 9))
        self.chunks.append("\n" + _indent(body, indent))

    def test_class(self, helpers):
        n = self.uid()
        w = self.word().capitalize()
        self.chunks.append(
            f'''

@pytest.mark.usefixtures("class_state")
class Test{w}Behaviour{n}:
    """Behaviour of {w} under the class-scoped state."""

    @pytest.fixture
    def local_limits(self, settings):
        return {{"limit": DEFAULT_LIMIT, "timeout": settings["timeout"]}}

    def test_limits_are_positive(self, local_limits, class_state):
        class_state["seen"].append("limits")
        assert local_limits["limit"] > 0
        assert local_limits["timeout"] > 0
'''
        )
        for _ in range(self.rng.randint(1, 3)):
            self.rng.choice(
                [
                    lambda: self.plain_test(helpers, indent="    "),
                    lambda: self.parametrized_test(indent="    "),
                    lambda: self.indirect_test(indent="    "),
                    lambda: self.async_test(indent="    "),
                    lambda: self.event_flow_test(indent="    "),
                    lambda: self.connection_test(indent="    "),
                ]
            )()

    # -- problems -------------------------------------------------------------------------
    def add_problem(self):
        p = self.problem
        n = self.uid()
        if p == "fixture-scope-mismatch":
            self.chunks.append(
                f"""

@pytest.fixture(scope="session")
def cached_profile_{n}(user_id):
    # session fixture over a function-scoped one: pytest raises ScopeMismatch
    return {{"user": user_id, "roles": ["admin"]}}


def test_cached_profile_{n}(cached_profile_{n}):
    assert cached_profile_{n}["roles"] == ["admin"]
"""
            )
        elif p == "fixture-duplicate":
            self.chunks.append(
                f"""

@pytest.fixture
def duplicate_payload_{n}():
    return {{"version": 1}}


@pytest.fixture
def duplicate_payload_{n}():
    return {{"version": 2}}


def test_duplicate_payload_{n}(duplicate_payload_{n}):
    assert duplicate_payload_{n}["version"] == 2
"""
            )
        elif p == "fixture-autouse-mixed":
            self.chunks.append(
                f"""

@pytest.fixture(scope="module", autouse=True)
def prepare_module_{n}():
    yield


@pytest.fixture(autouse=True)
def prepare_each_{n}():
    yield
"""
            )
        elif p == "fixture-loop-scope":
            self.chunks.append(
                f"""

@pytest_asyncio.fixture(scope="module", loop_scope="function")
async def shared_session_{n}():
    return {{"session": {n}}}


@pytest.mark.asyncio
async def test_shared_session_{n}(shared_session_{n}):
    assert shared_session_{n}["session"] == {n}
"""
            )
        elif p == "legacy-mock-wrapper":
            self.chunks.append(
                f"""

@pytest.mark.asyncio
async def test_legacy_manager_records_{n}(thread_id):
    manager = LegacyMockWebSocketManager()
    await manager.send_to_thread(thread_id, {{"type": "ping"}})
    assert manager.messages
"""
            )
        elif p == "mock-connection":
            self.connection_test(mock=True)
        elif p == "required-events-missing":
            self.event_flow_test(style="missing")
        elif p == "required-events-standard":
            self.event_flow_test(style="by_hand")

    def build(self, target):
        self.header()
        helpers = self.helper()
        if self.rng.random() < 0.7:
            self.local_fixture()
        problem_at = self.rng.randint(2, 8) if self.problem else -1
        k = 0
        size = sum(len(c) for c in self.chunks)
        while size < target:
            if k == problem_at:
                self.add_problem()
            roll = self.rng.random()
            if roll < 0.08:
                helpers = self.helper()
            elif roll < 0.25:
                self.test_class(helpers)
            elif roll < 0.40:
                self.plain_test(helpers)
            elif roll < 0.50:
                self.parametrized_test()
            elif roll < 0.58:
                self.indirect_test()
            elif roll < 0.64:
                self.usefixtures_test()
            elif roll < 0.74:
                self.async_test()
            elif roll < 0.88:
                self.event_flow_test()
            else:
                self.connection_test()
            k += 1
            size = sum(len(c) for c in self.chunks)
        if self.problem and problem_at >= k:
            self.add_problem()
        return "".join(self.chunks)


def _indent(text, prefix):
    if not prefix:
        return text
    return "".join(prefix + line if line.strip() else line for line in text.splitlines(True))


# ---------------------------------------------------------------------------------------------
# tree
# ---------------------------------------------------------------------------------------------

PROBLEM_KINDS = [
    "fixture-scope-mismatch",
    "fixture-duplicate",
    "fixture-autouse-mixed",
    "fixture-loop-scope",
    "legacy-mock-wrapper",
    "required-events-missing",
    "required-events-standard",
]


def plan_folders(rng, n_folders):
    """Leaf folders, 2-3 deep; about one in eight is a mission_critical suite."""
    folders = []
    for k in range(n_folders):
        area = AREAS[k % len(AREAS)]
        if k % 8 == 3:
            leaf = "suite_%02d/%s/mission_critical" % (k, area) if k % 16 == 3 else "suite_%02d/mission_critical" % k
        elif k % 3 == 0:
            leaf = "suite_%02d/%s/svc_%02d/%s" % (k, area, k, rng.choice(LEAVES))
        elif k % 3 == 1:
            leaf = "suite_%02d/%s/%s" % (k, area, rng.choice(LEAVES))
        else:
            leaf = "suite_%02d/%s" % (k, rng.choice(LEAVES))
        folders.append(leaf)
    return folders


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def generate(out_dir, n_files=3000, seed=0):
    rng = random.Random(seed)
    os.makedirs(out_dir, exist_ok=True)
    write(os.path.join(out_dir, "pytest.ini"), PYTEST_INI)
    write(os.path.join(out_dir, "conftest.py"), ROOT_CONFTEST)
    for rel, text in FRAMEWORK_FILES.items():
        write(os.path.join(out_dir, rel), text)

    n_folders = max(1, -(-n_files // FILES_PER_FOLDER))
    folders = plan_folders(rng, n_folders)
    done_dirs = set()
    for leaf in folders:
        parts = leaf.split("/")
        for depth in range(1, len(parts) + 1):
            rel = "/".join(parts[:depth])
            if rel in done_dirs:
                continue
            done_dirs.add(rel)
            d = os.path.join(out_dir, *parts[:depth])
            write(os.path.join(d, "__init__.py"), "")
            write(os.path.join(d, "conftest.py"), folder_conftest(rng, rel, depth))

    test_bytes = 0
    problems = 0
    kind_i = 0
    for i in range(n_files):
        leaf = folders[i // FILES_PER_FOLDER]
        mc = "mission_critical" in leaf.split("/")
        problem = None
        if i % PROBLEM_EVERY == PROBLEM_EVERY // 2:
            if mc:
                problem = "mock-connection"
            else:
                problem = PROBLEM_KINDS[kind_i % len(PROBLEM_KINDS)]
                kind_i += 1
            problems += 1
        name = "%s_%s" % (rng.choice(WORDS), rng.choice(WORDS))
        writer = ModuleWriter(rng, name, i, mc, problem)
        text = writer.build(rng.randint(TARGET_MIN, TARGET_MAX))
        write(os.path.join(out_dir, *leaf.split("/"), "test_%s_%d.py" % (name, i)), text)
        test_bytes += len(text.encode("utf-8"))
    return {"files": n_files, "bytes": test_bytes, "problems": problems, "folders": n_folders}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--files", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if os.path.isdir(args.out_dir) and os.listdir(args.out_dir):
        print("error: %s exists and is not empty" % args.out_dir, file=sys.stderr)
        return 2
    info = generate(args.out_dir, args.files, args.seed)
    avg_kb = info["bytes"] / max(1, info["files"]) / 1024
    print(
        "corpus %s: %d test files in %d folders, %.1f MB of tests, average %.1f KB per file, "
        "%d with a problem (seed %d)"
        % (
            args.out_dir,
            info["files"],
            info["folders"],
            info["bytes"] / 1024 / 1024,
            avg_kb,
            info["problems"],
            args.seed,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
