"""The required-events family through the CLI, with real pytest as the judge of its fixes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "cases" / "required-events-missing"

FLOW = """\
import pytest

from test_framework.bridge import AgentBridge


@pytest.mark.asyncio
async def test_flow():
    sent_events = []
    bridge = AgentBridge(sent_events)
    await bridge.notify_agent_started("r1")
    await bridge.notify_agent_thinking("r1")
    await bridge.notify_tool_executing("r1", "search")
    await bridge.notify_tool_completed("r1", "search")
    await bridge.notify_agent_completed("r1")
    assert "agent_started" in [event["event_type"] for event in sent_events]
"""


def run_pytest(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=root, capture_output=True, text=True
    )


def test_a_fixed_test_fails_with_the_helpers_message_when_an_event_is_never_sent(tmp_path: Path, run_fixlint) -> None:
    root = tmp_path / "tree"
    shutil.copytree(
        FIXTURES / "bad_one_event_never_sent", root, ignore=shutil.ignore_patterns("after*", "expected.findings")
    )
    assert run_pytest(root).returncode == 0  # the hand-written check misses it
    run_fixlint(root, "fix", "--rule", "required-events", "--unsafe-fixes", ".")
    completed = run_pytest(root)
    assert completed.returncode == 1
    assert "Missing required events: ['tool_completed']" in completed.stdout


def test_the_helper_module_is_written_once_on_request(tmp_path: Path, run_fixlint) -> None:
    root = tmp_path / "tree"
    shutil.copytree(FIXTURES / "bad_one_event_never_sent" / "test_framework", root / "test_framework")
    (root / "test_framework" / "websocket_helpers.py").unlink()
    (root / "pytest.ini").write_text("[pytest]\npythonpath = .\nasyncio_default_fixture_loop_scope = function\n")
    (root / "test_agent_events.py").write_text(FLOW)
    (finding,) = json.loads(run_fixlint(root, "check", "--rule", "required-events-missing", "--format", "json").stdout)
    assert finding["fix"] is None and "--write-events-helper" in finding["message"]
    assert run_fixlint(root, "fix", "--unsafe-fixes").exit_code == 1  # never a call of a helper that is not there
    assert (root / "test_agent_events.py").read_text() == FLOW

    result = run_fixlint(root, "fix", "--unsafe-fixes", "--write-events-helper")
    assert result.exit_code == 0, result.output
    helper = root / "test_framework" / "websocket_helpers.py"
    assert "async def validate_required_events(sent_events):" in helper.read_text()
    assert "await validate_required_events(sent_events)" in (root / "test_agent_events.py").read_text()
    assert run_pytest(root).returncode == 0

    helper.write_text(helper.read_text() + "# edited by the team\n")
    run_fixlint(root, "fix", "--unsafe-fixes", "--write-events-helper")
    assert helper.read_text().endswith("# edited by the team\n")  # written once, never over a file


SENDS_ALL = (
    "    bridge = AgentBridge(sent_events)\n"
    "    await bridge.notify_agent_started('r')\n"
    "    await bridge.notify_agent_thinking('r')\n"
    "    await bridge.notify_tool_executing('r', 'search')\n"
    "    await bridge.notify_tool_completed('r', 'search')\n"
    "    await bridge.notify_agent_completed('r')\n"
)
HAND_CHECKS = "".join(
    f"    assert '{event}' in types\n"
    for event in ("agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed")
)


def suite(root: Path, tests: str) -> Path:
    shutil.copytree(FIXTURES / "bad_one_event_never_sent" / "test_framework", root / "test_framework")
    (root / "pytest.ini").write_text("[pytest]\npythonpath = .\nasyncio_default_fixture_loop_scope = function\n")
    (root / "test_agent_events.py").write_text(
        "import pytest\n\nfrom test_framework.bridge import AgentBridge\n"
        "from test_framework.websocket_helpers import validate_required_events\n\n\n" + tests
    )
    return root


def findings(run_fixlint, root: Path) -> list[dict]:
    return json.loads(run_fixlint(root, "check", "--rule", "required-events", "--format", "json").stdout)


def test_only_a_safe_shape_gets_the_safe_rewrite(tmp_path: Path, run_fixlint) -> None:
    """Types read off another key, a filtered list, asserts split by more sends: reported, not rewritten."""
    tests = (
        "@pytest.mark.asyncio\nasync def test_other_key(sent_events=None):\n    sent_events = []\n"
        + SENDS_ALL
        + "    types = [e['type'] for e in sent_events]\n"
        + HAND_CHECKS
        + "\n\n"
        "@pytest.mark.asyncio\nasync def test_filtered():\n    sent_events = []\n"
        + SENDS_ALL
        + "    types = [e['event_type'] for e in sent_events if e['run_id'] == 'r']\n"
        + HAND_CHECKS
        + "\n\n"
        "@pytest.mark.asyncio\nasync def test_split():\n    sent_events = []\n"
        + SENDS_ALL
        + "    types = [e['event_type'] for e in sent_events]\n"
        + HAND_CHECKS.replace(
            "    assert 'tool_executing'",
            "    await AgentBridge(sent_events).notify_agent_started('again')\n    assert 'tool_executing'",
        )
    )
    root = suite(tmp_path, tests)
    found = findings(run_fixlint, root)
    assert sorted(f["data"]["function"] for f in found if f["rule"] == "required-events-standard") == [
        "test_filtered",
        "test_other_key",
        "test_split",
    ]
    assert all(f["fix"] is None for f in found if f["rule"] == "required-events-standard")


def test_ordinary_tests_are_not_taken_for_event_checks(tmp_path: Path, run_fixlint) -> None:
    tests = (
        "REQUIRED_EVENTS = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed',"
        " 'agent_completed']\n\n\n"
        "@pytest.mark.parametrize('event', REQUIRED_EVENTS)\n"
        "def test_each_is_named(event):\n    assert event in REQUIRED_EVENTS\n\n\n"
        "def render_agent_started():\n    return '<b>started</b>'\n\n\n"
        "def test_label(record_property):\n    record_property('agent_started_total', 1)\n"
        "    assert render_agent_started()\n\n\n"
        # Its name promises every event; asserting four of them absent checks none of them.
        "@pytest.mark.asyncio\nasync def test_all_five_events_silenced():\n    sent_events = []\n"
        "    await AgentBridge(sent_events).notify_agent_started('r')\n"
        "    types = [e['event_type'] for e in sent_events]\n"
        + "".join(
            f"    assert '{e}' not in types\n"
            for e in ("agent_thinking", "tool_executing", "tool_completed", "agent_completed")
        )
        + "    assert 'agent_started' in types  # fixlint: ignore[required-events-missing]\n"
    )
    root = suite(tmp_path, tests)
    assert [(f["rule"], f["data"]["test"]) for f in findings(run_fixlint, root)] == [
        ("required-events-missing", "test_agent_events.py::test_all_five_events_silenced")
    ]


def test_the_appended_call_lands_in_the_test_and_parses(tmp_path: Path, run_fixlint) -> None:
    tests = (
        "@pytest.mark.asyncio\n"
        "async def test_all_five_events_one_line(sent_events=[]):"
        " await AgentBridge(sent_events).notify_agent_started('r');"
        " assert 'agent_started' in [e['event_type'] for e in sent_events]\n\n\n"
        "@pytest.mark.asyncio\nasync def test_last():\n    sent_events = []\n"
        + SENDS_ALL
        + "    def check(events):\n        assert events\n    check(sent_events)\n"
        "    assert 'agent_started' in [e['event_type'] for e in sent_events]"
    )
    root = suite(tmp_path, tests)  # the file ends without a line ending
    by_test = {f["data"]["test"].split("::")[1]: f for f in findings(run_fixlint, root)}
    one_line = by_test["test_all_five_events_one_line"]
    assert one_line["fix"] is None and "stands on its `def` line" in one_line["message"]
    run_fixlint(root, "fix", "--rule", "required-events", "--unsafe-fixes")
    text = (root / "test_agent_events.py").read_text()
    assert text.endswith(
        "    check(sent_events)\n    assert 'agent_started' in [e['event_type'] for e in sent_events]\n"
        "    await validate_required_events(sent_events)"
    )
    assert "        await" not in text  # never inside the nested sync def
    assert run_pytest(root).returncode == 0


def test_no_call_is_added_where_the_test_reads_events_by_another_key(tmp_path: Path, run_fixlint) -> None:
    """Found by the generated suites: the helper reads `event_type`, these messages have `type`,
    so the appended call failed a test that had sent every event."""
    tests = (
        "class Thread:\n    def __init__(self):\n        self.messages = []\n\n"
        "    async def send_to_thread(self, thread_id, message):\n        self.messages.append(message)\n\n\n"
        "@pytest.mark.asyncio\nasync def test_type_keyed():\n    manager = Thread()\n"
        "    for event in ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed']:\n"
        "        await manager.send_to_thread('t1', {'type': event})\n"
        "    assert 'agent_started' in [m['type'] for m in manager.messages]\n"
    )
    root = suite(tmp_path, tests)
    (finding,) = [f for f in findings(run_fixlint, root) if f["rule"] == "required-events-missing"]
    assert finding["fix"] is None and "keys its events by `type`, the helper reads `event_type`" in finding["message"]
    run_fixlint(root, "fix", "--rule", "required-events", "--unsafe-fixes")
    assert run_pytest(root).returncode == 0


def test_helpers_that_call_each_other_in_cycles_are_walked_once(tmp_path: Path) -> None:
    """Each helper calls the next two, and the last calls the first: walked again at every level,
    the calls of 30 such helpers would take 2**30 steps; fixlint must answer at once."""
    helpers = "".join(
        f"def log_{index}(events):\n    log_{(index + 1) % 30}(events)\n    log_{(index + 2) % 30}(events)\n\n\n"
        for index in range(30)
    )
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_agent_events.py").write_text(
        helpers
        + "async def test_all_five_events(bridge):\n    await bridge.notify_agent_started('r1')\n    log_0([])\n"
    )
    completed = subprocess.run(
        [sys.executable, "-m", "fixlint", "check", "--no-cache", "--format", "json", "--rule", "required-events", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 1, completed.stderr
    assert [finding["rule"] for finding in json.loads(completed.stdout)] == ["required-events-missing"]


def test_the_appended_call_lands_at_the_end_of_a_file_with_a_form_feed_and_no_final_line_ending(
    tmp_path: Path, run_fixlint
) -> None:
    """A form feed is no line ending for Python: the last line is counted as Python counts it."""
    tests = (
        "\f\n@pytest.mark.asyncio\nasync def test_last():\n    sent_events = []\n"
        + SENDS_ALL
        + "    assert 'agent_started' in [e['event_type'] for e in sent_events]"
    )
    root = suite(tmp_path, tests)
    result = run_fixlint(root, "fix", "--rule", "required-events", "--unsafe-fixes")
    assert "fix not applied" not in result.output
    text = (root / "test_agent_events.py").read_text()
    assert text.endswith("for e in sent_events]\n    await validate_required_events(sent_events)")
    assert run_pytest(root).returncode == 0


def test_the_helper_is_added_to_a_helper_module_that_lacks_it(tmp_path: Path, run_fixlint) -> None:
    """The helper module exists with other helpers (CRLF, no final line ending): the helper is
    added at its end, the rest kept byte for byte, and the fixes that call it then apply."""
    root = tmp_path / "tree"
    shutil.copytree(FIXTURES / "bad_one_event_never_sent" / "test_framework", root / "test_framework")
    helper = root / "test_framework" / "websocket_helpers.py"
    team_code = b'"""Our WebSocket helpers."""\r\n\r\n\r\ndef make_thread_id():\r\n    return "t-1"'
    helper.write_bytes(team_code)
    (root / "pytest.ini").write_text("[pytest]\npythonpath = .\nasyncio_default_fixture_loop_scope = function\n")
    (root / "test_agent_events.py").write_text(FLOW)
    (finding,) = json.loads(run_fixlint(root, "check", "--rule", "required-events-missing", "--format", "json").stdout)
    assert finding["fix"] is None and "defines no `validate_required_events`" in finding["message"]

    result = run_fixlint(root, "fix", "--unsafe-fixes", "--write-events-helper")
    assert result.exit_code == 0, result.output
    assert (
        "added the standard helper `validate_required_events` to test_framework/websocket_helpers.py" in result.output
    )
    written = helper.read_bytes()
    assert written.startswith(team_code + b"\r\n\r\n\r\nasync def validate_required_events(sent_events):\r\n")
    assert b"\n" not in written.replace(b"\r\n", b"")  # the module's own line endings
    assert "await validate_required_events(sent_events)" in (root / "test_agent_events.py").read_text()
    assert run_pytest(root).returncode == 0

    run_fixlint(root, "fix", "--unsafe-fixes", "--write-events-helper")
    assert helper.read_bytes() == written  # added once


def test_helper_paths_name_test_code_outside_folders_named_like_tests(tmp_path: Path, run_fixlint) -> None:
    """Calls are followed into test code only, and only test code has its bodies read: a flow
    helper in `support/` counts once `helper-paths` names it."""
    root = suite(tmp_path, "")
    (root / "support").mkdir()
    (root / "support" / "__init__.py").write_text("")
    (root / "support" / "flows.py").write_text("async def run_flow(bridge):\n" + SENDS_ALL.split("\n", 1)[1])
    (root / "test_agent_events.py").write_text(
        "import pytest\n\nfrom support.flows import run_flow\nfrom test_framework.bridge import AgentBridge\n\n\n"
        "@pytest.mark.asyncio\nasync def test_flow():\n    sent_events = []\n    bridge = AgentBridge(sent_events)\n"
        "    await run_flow(bridge)\n    assert 'agent_started' in [e['event_type'] for e in sent_events]\n"
    )
    assert findings(run_fixlint, root) == []  # support/ is production code: not followed
    (root / "pyproject.toml").write_text('[tool.fixlint.required-events]\nhelper-paths = ["support/**"]\n')
    (found,) = findings(run_fixlint, root)
    assert found["data"]["test"] == "test_agent_events.py::test_flow" and "sends all 5" in found["message"]
