"""The required-events family through the CLI, with real pytest as the judge of its fixes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "required-events"

FLOW = '''\
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
'''


def run_pytest(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=root, capture_output=True, text=True)


def test_a_fixed_test_fails_with_the_helpers_message_when_an_event_is_never_sent(tmp_path: Path, run_fixlint) -> None:
    root = tmp_path / "tree"
    shutil.copytree(FIXTURES / "one_event_never_sent", root, ignore=shutil.ignore_patterns("after*", "expected.findings"))
    assert run_pytest(root).returncode == 0  # the hand-written check misses it
    run_fixlint(root, "fix", "--rule", "required-events", "--unsafe-fixes", ".")
    completed = run_pytest(root)
    assert completed.returncode == 1
    assert "Missing required events: ['tool_completed']" in completed.stdout


def test_the_helper_module_is_written_once_on_request(tmp_path: Path, run_fixlint) -> None:
    root = tmp_path / "tree"
    shutil.copytree(FIXTURES / "one_event_never_sent" / "test_framework", root / "test_framework")
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
