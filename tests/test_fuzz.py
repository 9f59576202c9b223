"""Fuzzing the real CLI with generated Python source (hypothesis + hypothesmith).

Two properties, each over modules that hypothesmith generates:

* ``check`` never crashes: on any module it exits 0 or 1, prints valid JSON and no traceback,
  and a module that CPython's parser refuses is reported as a ``syntax-error`` finding.
* ``fix`` keeps what it does not touch: a generated module, with snippets that fixlint fixes
  interleaved among its top-level statements, still parses after ``fix --unsafe-fixes``; every
  top-level statement of the generated module is still there, unchanged and in order; and a
  second ``fix`` changes nothing.

CI runs a bounded, derandomized number of examples (150 for ``check``, 80 for ``fix``: about a
minute on a slow two-core machine), with no example database, so every run sees the
same inputs. For a longer run by hand, with fresh random inputs:

    FIXLINT_FUZZ_EXAMPLES=2000 .ci-venv/bin/python -m pytest -q tests/test_fuzz.py --hypothesis-show-statistics

With ``FIXLINT_FUZZ_EXAMPLES`` set, the runs are random (``derandomize`` is off) and hypothesis
prints the seed and the falsifying example (the generated source, as a Python literal) of a
failure; ``--hypothesis-seed=N`` replays a seed. The notes of a failure carry the module as
written, the output of each CLI run and any traceback, enough to rebuild the case by hand.
"""

from __future__ import annotations

import ast
import json
import os
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Optional

import hypothesmith
import libcst as cst
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, Phase, event, given, note, settings
from hypothesis import strategies as st

from fixlint.cli import main

BY_HAND = os.environ.get("FIXLINT_FUZZ_EXAMPLES")


def fuzz_settings(ci_examples: int) -> settings:
    """Bounded and derandomized in CI (no example database, so every run sees the same inputs);
    ``FIXLINT_FUZZ_EXAMPLES`` examples of fresh random input, shrunk on failure, by hand."""
    return settings(
        max_examples=int(BY_HAND) if BY_HAND else ci_examples,
        deadline=None,
        derandomize=not BY_HAND,
        database=None,
        print_blob=True,
        # Shrinking a from_node module takes minutes: CI reports the example as found.
        phases=list(Phase) if BY_HAND else [Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


# Generated source: the grammar strategy is fast and wild (odd whitespace, comments, newer
# syntax); the node strategy is slower and builds LibCST-valid modules of real statements.
SOURCE = st.one_of(hypothesmith.from_grammar(), hypothesmith.from_node())


def _run(root: Path, *args: str) -> Result:
    """The real CLI in ``root``, as a user would run it from a shell there."""
    previous = os.getcwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=True)
    finally:
        os.chdir(previous)


def _describe(result: Result) -> str:
    text = f"exit code {result.exit_code}\n--- output ---\n{result.output}"
    if result.exc_info is not None and not isinstance(result.exception, SystemExit):
        text += "\n--- exception ---\n" + "".join(traceback.format_exception(*result.exc_info))
    return text


def _assert_ran(result: Result, what: str) -> None:
    """Exit 0 or 1, no exception and no traceback: anything else is a crash."""
    crashed = (
        result.exit_code not in (0, 1)
        or (result.exception is not None and not isinstance(result.exception, SystemExit))
        or "Traceback" in result.output
        or "internal error" in result.output
    )
    assert not crashed, f"fixlint {what} crashed:\n{_describe(result)}"


def _write(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _cpython_refuses(source: bytes) -> Optional[str]:
    """CPython's parser's word on the module (as ``ast.parse``: compile-time checks such as
    ``return`` outside a function are pytest's collection errors, not syntax errors here)."""
    try:
        compile(source, "test_gen.py", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        return str(error)
    return None


# -- check never crashes ------------------------------------------------------------------------


# Bytes that break a valid module in the ways editors and merges do: an unclosed bracket or
# string, a stray colon, indent or backslash, a NUL, a lone carriage return, invalid UTF-8.
DAMAGE = (
    "(",
    ")",
    "[",
    ":",
    "'",
    '"""',
    "\\",
    "\t",
    "\n    ",
    "\r",
    "\x0c",
    "\x00",
    "async ",
    "lambda",
    "= =",
    "\udcff",
)


@st.composite
def _damaged(draw: st.DrawFn) -> str:
    """A generated module with some damage spliced in at a random place (CPython mostly refuses
    these: hypothesmith itself only emits modules that compile)."""
    source = draw(SOURCE)
    damage = draw(st.lists(st.sampled_from(DAMAGE), min_size=1, max_size=3))
    for piece in damage:
        at = draw(st.integers(0, len(source)))
        source = source[:at] + piece + source[at:]
    return source


@fuzz_settings(ci_examples=150)
@given(module=st.one_of(SOURCE, _damaged(), _damaged()), conftest=st.one_of(st.just(""), hypothesmith.from_grammar()))
def test_check_never_crashes(module: str, conftest: str) -> None:
    files = {"pytest.ini": b"[pytest]\n", "tests/test_gen.py": module.encode("utf-8", "surrogateescape")}
    if conftest:
        files["tests/conftest.py"] = conftest.encode("utf-8", "surrogateescape")
    with tempfile.TemporaryDirectory(prefix="fixlint-fuzz-") as tmp:
        root = Path(tmp)
        _write(root, files)
        result = _run(root, "check", "--format", "json", "--no-cache")
    note(_describe(result))
    _assert_ran(result, "check")
    try:
        findings = json.loads(result.stdout)
    except ValueError as error:
        raise AssertionError(f"check --format json printed no JSON ({error}):\n{_describe(result)}") from None
    rules = {(Path(f["path"]).name, f["rule"]) for f in _finding_list(findings)}
    refused = _cpython_refuses(files["tests/test_gen.py"])
    event(f"CPython parser refuses the module: {refused is not None}")
    if refused is not None:
        assert ("test_gen.py", "syntax-error") in rules, (
            f"CPython refuses tests/test_gen.py ({refused}) but fixlint reports no syntax-error:\n{_describe(result)}"
        )


def _finding_list(output: object) -> list[dict]:
    """The findings of ``--format json``: a list, or an object that holds one."""
    if isinstance(output, dict):
        output = output.get("findings", [])
    assert isinstance(output, list), f"unexpected JSON shape: {output!r}"
    return output


# -- fix keeps what it does not touch ---------------------------------------------------------

SUPPORT = {
    "pytest.ini": ("[pytest]\npythonpath = .\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n"),
    "conftest.py": (
        "import pytest\n\nfrom test_framework.bridge import AgentBridge\n\n\n"
        "@pytest.fixture\ndef sent_events():\n    return []\n\n\n"
        "@pytest.fixture\ndef bridge(sent_events):\n    return AgentBridge(sent_events)\n"
    ),
    "test_framework/__init__.py": "",
    "test_framework/bridge.py": (
        "class AgentBridge:\n"
        "    def __init__(self, sent_events):\n        self.sent_events = sent_events\n\n"
        "    async def notify_agent_started(self, run_id):\n"
        "        self.sent_events.append({'event_type': 'agent_started', 'run_id': run_id})\n\n"
        "    async def notify_agent_thinking(self, run_id):\n"
        "        self.sent_events.append({'event_type': 'agent_thinking', 'run_id': run_id})\n\n"
        "    async def notify_tool_executing(self, run_id, tool):\n"
        "        self.sent_events.append({'event_type': 'tool_executing', 'run_id': run_id})\n\n"
        "    async def notify_tool_completed(self, run_id, tool):\n"
        "        self.sent_events.append({'event_type': 'tool_completed', 'run_id': run_id})\n\n"
        "    async def notify_agent_completed(self, run_id):\n"
        "        self.sent_events.append({'event_type': 'agent_completed', 'run_id': run_id})\n"
    ),
    "test_framework/websocket_helpers.py": (
        "async def validate_required_events(sent_events):\n"
        "    required = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed']\n"
        "    found = [event.get('event_type') for event in sent_events]\n"
        "    missing = [event for event in required if event not in found]\n"
        "    assert not missing, f'Missing required events: {missing}'\n"
    ),
    "test_framework/fixtures/__init__.py": "",
    "test_framework/fixtures/websocket_manager_mock.py": (
        "class ComplianceWebSocketMock:\n"
        "    def __init__(self):\n        self.messages = []\n        self.connections = {}\n\n"
        "    async def send_to_thread(self, thread_id, message):\n"
        "        self.messages.append({'thread_id': thread_id, **message})\n\n"
        "    def add_connection(self, user_id, connection):\n        self.connections[user_id] = connection\n\n\n"
        "def create_compliance_mock():\n    return ComplianceWebSocketMock()\n"
    ),
}

# Top-level statements that fixlint fixes, one per entry, each placed at its own random position
# among the generated statements (in this relative order). Every name they define is in
# SNIPPET_NAMES; every module they, or the fixes, import is in SNIPPET_IMPORTS.
SNIPPETS = (
    "import pytest\n",
    "from test_framework.fixtures.websocket_manager_mock import create_compliance_mock\n",
    # fixture-scope family: a session fixture requests a function-scoped one (safe fix).
    '@pytest.fixture(scope="session")\ndef fz_pool(fz_request_id):\n    return [fz_request_id]\n',
    "@pytest.fixture\ndef fz_request_id():\n    return 7\n",
    "def test_fz_pool(fz_pool):\n    assert fz_pool == [7]\n",
    # ... and autouse fixtures of mixed scopes in one class (unsafe fix).
    (
        "class TestFzAutouse:\n"
        '    @pytest.fixture(scope="class", autouse=True)\n    def fz_bridge(self):\n        yield\n\n'
        "    @pytest.fixture(autouse=True)\n    def fz_per_test(self):\n        yield\n\n"
        "    def test_fz_autouse(self):\n        pass\n"
    ),
    # legacy-mock family: a wrapper that keeps a second copy of the mock's state (safe fix).
    (
        "class LegacyMockFzWebSocketManager:\n"
        "    def __init__(self):\n"
        "        self._unified_mock = create_compliance_mock()\n"
        "        self.messages = []\n"
        "        self.connections = {}\n\n"
        "    async def send_to_thread(self, thread_id, message):\n"
        "        await self._unified_mock.send_to_thread(thread_id, message)\n"
        "        self.messages = self._unified_mock.messages\n\n"
        "    def add_connection(self, user_id, connection):\n"
        "        self._unified_mock.add_connection(user_id, connection)\n"
        "        self.connections = self._unified_mock.connections\n"
    ),
    (
        "def test_fz_legacy_manager():\n"
        "    manager = LegacyMockFzWebSocketManager()\n"
        '    manager.add_connection("user-1", "conn-1")\n'
        '    assert manager.connections == {"user-1": "conn-1"}\n'
    ),
    # required-events family: per-event asserts (safe fix) and a partial check (unsafe fix).
    (
        "@pytest.mark.asyncio\n"
        "async def test_fz_hand_written_asserts(sent_events, bridge):\n"
        '    await bridge.notify_agent_started("r1")\n'
        '    await bridge.notify_agent_thinking("r1")\n'
        '    await bridge.notify_tool_executing("r1", "weather")\n'
        '    await bridge.notify_tool_completed("r1", "weather")\n'
        '    await bridge.notify_agent_completed("r1")\n'
        '    event_types = [e["event_type"] for e in sent_events]\n'
        '    assert "agent_started" in event_types\n'
        '    assert "agent_thinking" in event_types\n'
        '    assert "tool_executing" in event_types\n'
        '    assert "tool_completed" in event_types\n'
        '    assert "agent_completed" in event_types\n'
    ),
    (
        "@pytest.mark.asyncio\n"
        "async def test_fz_checks_only_start_and_end(sent_events, bridge):\n"
        '    await bridge.notify_agent_started("r3")\n'
        '    await bridge.notify_agent_thinking("r3")\n'
        '    await bridge.notify_tool_executing("r3", "calc")\n'
        '    await bridge.notify_tool_completed("r3", "calc")\n'
        '    await bridge.notify_agent_completed("r3")\n'
        '    event_types = [e["event_type"] for e in sent_events]\n'
        '    assert "agent_started" in event_types\n'
        '    assert "agent_completed" in event_types\n'
    ),
)
SNIPPET_NAMES = {
    "fz_pool", "fz_request_id", "test_fz_pool", "TestFzAutouse", "LegacyMockFzWebSocketManager",
    "test_fz_legacy_manager", "test_fz_hand_written_asserts", "test_fz_checks_only_start_and_end",
}  # fmt: skip
SNIPPET_IMPORTS = ("pytest", "test_framework")


def _import_root(node: cst.CSTNode) -> Optional[str]:
    if isinstance(node, cst.ImportFrom) and node.module is not None and not node.relative:
        return cst.Module([]).code_for_node(node.module).split(".")[0]
    if isinstance(node, cst.Import) and len(node.names) == 1:
        return cst.Module([]).code_for_node(node.names[0].name).split(".")[0]
    return None


def _for_snippets(statement: cst.BaseStatement) -> bool:
    """Whether a top-level statement of the fixed module is one a fix may have made or edited.

    The rule of "touched": a fix edits, deletes or adds only the statements it is for, and those
    are all snippet statements: the defs and classes named in SNIPPET_NAMES (whatever their body
    or decorators became), and the import lines of the modules the snippets and the fixes import
    (``pytest`` and ``test_framework...``: a fix adds ``create_compliance_mock`` and
    ``validate_required_events`` imports and drops the wrapper's). Every other statement is a
    generated one, which no fix is for: it must come out deep-equal (whitespace and comments
    included) and in its place in the order.
    """
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return statement.name.value in SNIPPET_NAMES
    if isinstance(statement, cst.SimpleStatementLine) and statement.body:
        roots = [_import_root(small) for small in statement.body]
        return all(root in SNIPPET_IMPORTS for root in roots)
    return False


class _OwnIndent(cst.CSTTransformer):
    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        return updated.with_changes(indent="    ")


class _Explicit(cst.CSTTransformer):
    """Spells out what a node leaves to its module (``indent=None``, ``Newline(None)``), so
    statements of two modules with different defaults compare by what they are."""

    def __init__(self, module: cst.Module) -> None:
        super().__init__()
        self.module = module

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        return updated if updated.indent is not None else updated.with_changes(indent=self.module.default_indent)

    def leave_Newline(self, original: cst.Newline, updated: cst.Newline) -> cst.Newline:
        return updated if updated.value is not None else updated.with_changes(value=self.module.default_newline)


def _explicit(module: cst.Module, statements: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
    return [statement.visit(_Explicit(module)) for statement in statements]


def _compose(generated: cst.Module, positions: Sequence[int], chosen: Sequence[bool]) -> cst.Module:
    """The generated module with the chosen snippets inserted before the generated statements
    at ``positions`` (sorted, so snippets keep their relative order)."""
    body = list(generated.body)
    inserts = sorted(
        ((min(position, len(body)), index) for index, (position, use) in enumerate(zip(positions, chosen)) if use),
        reverse=True,
    )
    for position, index in inserts:
        # Blocks keep their own four spaces: the generated module's default indent may be one
        # that does not nest (a form feed resets the column), and the snippets must parse.
        snippet = cst.parse_module(SNIPPETS[index]).body[0].visit(_OwnIndent())
        snippet = snippet.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()]) if position else snippet
        body.insert(position, snippet)
    return generated.with_changes(body=body)


SNIPPET_COUNT = len(SNIPPETS)
# The default rules, and the autouse snippet's rule, off by default.
FIX_ARGS = ("--unsafe-fixes", "--no-cache", "--extend-select", "fixture-autouse-mixed")


@fuzz_settings(ci_examples=80)
@given(
    source=hypothesmith.from_node(),
    positions=st.lists(st.integers(0, 1000), min_size=SNIPPET_COUNT, max_size=SNIPPET_COUNT).map(sorted),
    # Most examples carry every snippet; some leave a few out (a wrapper with no test, say).
    chosen=st.one_of(
        st.just([True] * SNIPPET_COUNT), st.lists(st.booleans(), min_size=SNIPPET_COUNT, max_size=SNIPPET_COUNT)
    ),
)
def test_fix_keeps_what_it_does_not_touch(source: str, positions: list[int], chosen: list[bool]) -> None:
    generated = cst.parse_module(source)  # from_node builds LibCST trees
    chosen = [True, True, *chosen[2:]]  # the imports the snippets need
    composed = _compose(generated, [position * (len(generated.body) + 1) // 1001 for position in positions], chosen)
    before = composed.bytes
    cst.parse_module(before)  # the composition is sound (a failure here is this test's own bug)
    files = {name: text.encode() for name, text in SUPPORT.items()}
    files["tests/test_gen.py"] = before
    note(f"tests/test_gen.py before fix:\n{before!r}")
    with tempfile.TemporaryDirectory(prefix="fixlint-fuzz-") as tmp:
        root = Path(tmp)
        _write(root, files)
        first = _run(root, "fix", *FIX_ARGS)
        note(f"first fix: {_describe(first)}")
        _assert_ran(first, "fix")
        fixed = _tree(root)
        second = _run(root, "fix", *FIX_ARGS)
        note(f"second fix: {_describe(second)}")
        _assert_ran(second, "fix")
        again = _tree(root)

    after = fixed["tests/test_gen.py"]
    note(f"tests/test_gen.py after fix:\n{after!r}")
    event(f"fix changed tests/test_gen.py: {after != before}")
    for name, data in fixed.items():
        if name.endswith(".py"):
            try:
                cst.parse_module(data)
            except cst.ParserSyntaxError as error:
                raise AssertionError(f"fix wrote {name}, which does not parse: {error}") from None
    result = cst.parse_module(after)
    kept = _explicit(result, [statement for statement in result.body if not _for_snippets(statement)])
    expected = _explicit(generated, [statement for statement in generated.body if not _for_snippets(statement)])
    assert result.header == generated.header or _header_code(result) == _header_code(generated), (
        "fix changed the module header"
    )
    for position, (old, new) in enumerate(zip(expected, kept)):
        assert old.deep_equals(new), (
            f"generated statement {position} changed by fix:\n--- before ---\n{_code(generated, old)}"
            f"\n--- after ---\n{_code(result, new)}"
        )
    assert len(kept) == len(expected), (
        f"fix lost or added generated statements: {len(expected)} before, {len(kept)} after\n"
        + "\n".join(
            f"--- extra/missing ---\n{_code(result, s)}" for s in (kept[len(expected) :] or expected[len(kept) :])
        )
    )
    changed = {name for name in set(fixed) | set(again) if fixed.get(name) != again.get(name)}
    assert not changed, f"a second fix changed {sorted(changed)}:\n{_describe(second)}"


def _code(module: cst.Module, node: cst.CSTNode) -> str:
    return module.code_for_node(node)


def _header_code(module: cst.Module) -> str:
    return "".join(module.code_for_node(line) for line in module.header)
