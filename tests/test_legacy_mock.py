"""The legacy-mock family through the CLI: its config, another team's names, report scope."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SHIM = """\
from fakes import make_fake


class OldNotifierShim:
    def __init__(self):
        self._fake = make_fake()
        self.sent = []

    def push(self, event):
        self._fake.push(event)
        self.sent = self._fake.sent
"""

E2E_TEST = """\
from shims import OldNotifierShim
from sockets_fake import FakeSocket


async def test_live_flow():
    socket = FakeSocket("wss://example/1")
    notifier = OldNotifierShim()
    notifier.push(socket)
"""

OTHER_TEAM = """\
[tool.fixlint.legacy-mock]
factory = "make_fake"
factory-module = "fakes"
legacy-patterns = ["Old*"]
real-connection-paths = ["**/e2e/**"]
real-connection-marks = ["live"]
mock-names = ["FakeSocket"]
mock-patterns = []

[tool.fixlint.legacy-mock.real-connection-calls.FakeSocket]
params = ["url"]
template = "await RealSocket.open(url={url})"
import = "sockets.RealSocket"
"""


SOCKETS = "class RealSocket:\n    @classmethod\n    async def open(cls, url):\n        return url\n"


def write(root: Path, files: dict[str, str]) -> None:
    (root / "pytest.ini").write_text("[pytest]\n")
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_another_teams_names_work_by_config_alone(tmp_path: Path, run_fixlint) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": OTHER_TEAM,
            "shims.py": SHIM,
            "sockets.py": SOCKETS,
            "e2e/test_flow.py": E2E_TEST,
            "unit/test_flow.py": E2E_TEST,
        },
    )
    findings = json.loads(run_fixlint(tmp_path, "check", "--rule", "legacy-mock", "--format", "json").stdout)
    summary = sorted((f["rule"], f["path"], f["line"]) for f in findings)
    assert summary == [
        ("legacy-mock-wrapper", "e2e/test_flow.py", 1),
        ("legacy-mock-wrapper", "e2e/test_flow.py", 7),
        ("legacy-mock-wrapper", "shims.py", 4),
        ("legacy-mock-wrapper", "unit/test_flow.py", 1),
        ("legacy-mock-wrapper", "unit/test_flow.py", 7),
        ("mock-connection", "e2e/test_flow.py", 6),  # unit/ mocks freely
    ]
    assert run_fixlint(tmp_path, "fix", "--rule", "legacy-mock", "--unsafe-fixes").exit_code == 0
    fixed = (tmp_path / "e2e/test_flow.py").read_text()
    assert 'socket = await RealSocket.open(url="wss://example/1")' in fixed
    assert "notifier = make_fake()" in fixed
    assert "from fakes import make_fake" in fixed and "from sockets import RealSocket" in fixed
    assert "OldNotifierShim" not in fixed and "OldNotifierShim" not in (tmp_path / "shims.py").read_text()


def test_a_named_test_file_reports_the_wrapper_it_uses(tmp_path: Path, run_fixlint) -> None:
    """As pre-commit calls it: the class is reported for the test file that uses it."""
    write(
        tmp_path,
        {
            "pyproject.toml": OTHER_TEAM,
            "shims.py": SHIM,
            "e2e/test_flow.py": E2E_TEST,
            "unit/test_other.py": "def test_x():\n    pass\n",
        },
    )
    named = json.loads(
        run_fixlint(tmp_path, "check", "--rule", "legacy-mock-wrapper", "--format", "json", "e2e/test_flow.py").stdout
    )
    assert sorted((f["path"], f["line"]) for f in named) == [
        ("e2e/test_flow.py", 1),
        ("e2e/test_flow.py", 7),
        ("shims.py", 4),
    ]
    assert run_fixlint(tmp_path, "check", "--rule", "legacy-mock-wrapper", "unit/test_other.py").exit_code == 0


@pytest.mark.parametrize(
    "table, message",
    [
        ("factori = 'make'", "unknown key `factori`"),
        ("legacy-patterns = 'Old*'", "`legacy-patterns`: expected list"),
        ("factory = 'not a name'", "`factory`: expected a dotted Python name"),
        (
            "[tool.fixlint.legacy-mock.real-connection-calls.FakeSocket]\n"
            "params = ['url']\ntemplate = 'open({host})'\nimport = 'a.B'",
            "`FakeSocket` `template`: ['host'] are not among its params",
        ),
        (
            "[tool.fixlint.legacy-mock.real-connection-calls.FakeSocket]\n"
            "params = ['url']\ntemplate = 'open(({url}'\nimport = 'a.B'",
            "`FakeSocket` `template`: not a Python expression",
        ),
        (
            "[tool.fixlint.legacy-mock.real-connection-calls.FakeSocket]\n"
            "params = ['url']\ntemplate = 'open({url})'\nimport = 'B'",
            "`FakeSocket` `import`: expected `module.Name`",
        ),
    ],
)
def test_bad_values_exit_2_naming_the_key(tmp_path: Path, run_fixlint, table: str, message: str) -> None:
    write(
        tmp_path, {"pyproject.toml": f"[tool.fixlint.legacy-mock]\n{table}\n", "test_x.py": "def test_x():\n    pass\n"}
    )
    result = run_fixlint(tmp_path, "check")
    assert result.exit_code == 2
    assert "pyproject.toml" in result.output and message in result.output


UNIFIED = """\
class Unified:
    def __init__(self):
        self.messages = []

    def send(self, message):
        self.messages.append(message)


def create_compliance_mock():
    return Unified()
"""

LEGACY = """\
from test_framework.fixtures.websocket_manager_mock import create_compliance_mock


class LegacyMockWebSocketManager:
    def __init__(self):
        self._unified_mock = create_compliance_mock()
        self.messages = []

    def send(self, message):
        self._unified_mock.send(message)
        self.messages = self._unified_mock.messages
"""

USER = """\
from test_framework.legacy_websocket import LegacyMockWebSocketManager


def test_send():
    manager = LegacyMockWebSocketManager()
    manager.send("hi")
    assert manager.messages == ["hi"]
"""


def suite(root: Path, files: dict[str, str]) -> Path:
    write(
        root,
        {
            "test_framework/__init__.py": "",
            "test_framework/fixtures/__init__.py": "",
            "test_framework/fixtures/websocket_manager_mock.py": UNIFIED,
            "test_framework/legacy_websocket.py": LEGACY,
            **files,
        },
    )
    (root / "pytest.ini").write_text("[pytest]\npythonpath = .\n")
    return root


def pytest_summary(root: Path) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=root, capture_output=True, text=True
    )
    return completed.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    "other",
    [
        pytest.param({"tests/test_other.py": USER}, id="a file the run did not read"),
        pytest.param(
            {
                "tests/test_star.py": (
                    "from test_framework.legacy_websocket import *\n\n\n"
                    "def test_star():\n    assert LegacyMockWebSocketManager().messages == []\n"
                )
            },
            id="a star import",
        ),
        pytest.param(
            {
                "test_framework/__init__.py": (
                    "from test_framework.legacy_websocket import LegacyMockWebSocketManager\n\n"
                    "__all__ = ['LegacyMockWebSocketManager']\n"
                )
            },
            id="a re-export in __all__",
        ),
        pytest.param(
            {
                "tests/test_broken.py": (
                    "from test_framework.legacy_websocket import LegacyMockWebSocketManager\n\ndef test_x(:\n"
                )
            },
            id="a file that does not parse",
        ),
    ],
)
def test_the_class_stays_while_anything_still_names_it(tmp_path: Path, run_fixlint, other: dict[str, str]) -> None:
    root = suite(tmp_path, {"tests/test_user.py": USER, **other})
    run_fixlint(root, "fix", "--rule", "legacy-mock-wrapper", "tests/test_user.py")
    assert "create_compliance_mock()" in (root / "tests/test_user.py").read_text()
    assert "class LegacyMockWebSocketManager" in (root / "test_framework/legacy_websocket.py").read_text()
    if "test_broken" not in str(other):
        summary = pytest_summary(root)
        assert " passed" in summary and "failed" not in summary and "error" not in summary, summary


def test_relative_imports_of_the_wrapper_go_with_it(tmp_path: Path, run_fixlint) -> None:
    root = suite(
        tmp_path,
        {
            "tests/__init__.py": "",
            "tests/pkg/__init__.py": "",
            "tests/pkg/legacy.py": LEGACY,
            "tests/pkg/test_rel.py": USER.replace("test_framework.legacy_websocket", ".legacy"),
        },
    )
    (root / "test_framework/legacy_websocket.py").unlink()
    assert run_fixlint(root, "fix", "--rule", "legacy-mock-wrapper").exit_code == 0
    assert "legacy" not in (root / "tests/pkg/test_rel.py").read_text()
    assert "class" not in (root / "tests/pkg/legacy.py").read_text()
    assert pytest_summary(root).startswith("1 passed")


def test_other_uses_of_the_wrapper_make_the_fix_unsafe(tmp_path: Path, run_fixlint) -> None:
    checked = (
        USER + "\n\ndef test_kind():\n    assert isinstance(LegacyMockWebSocketManager(), LegacyMockWebSocketManager)\n"
    )
    root = suite(tmp_path, {"tests/test_user.py": checked})
    findings = json.loads(run_fixlint(root, "check", "--rule", "legacy-mock-wrapper", "--format", "json").stdout)
    assert {f["fix"]["applicability"] for f in findings if f["fix"]} == {"unsafe"}
    assert any("other than to build or subclass one" in f["message"] for f in findings)
    assert run_fixlint(root, "fix", "--rule", "legacy-mock-wrapper").exit_code == 1  # nothing safe to apply
    assert (root / "tests/test_user.py").read_text() == checked


def test_a_wrapper_method_that_reshapes_the_mocks_answer_gets_no_fix(tmp_path: Path, run_fixlint) -> None:
    """Found by the generated suites: the mock offers `types`, but the wrapper's `types` answers
    differently, so the migration broke the test."""
    unified = UNIFIED.replace(
        "\n\ndef create", "\n    def types(self):\n        return list(self.messages)\n\n\ndef create"
    )
    reshaping = LEGACY + "\n    def types(self):\n        return [m.upper() for m in self._unified_mock.types()]\n"
    user = USER + (
        "\n\ndef test_types():\n    manager = LegacyMockWebSocketManager()\n"
        "    manager.send('hi')\n    assert manager.types() == ['HI']\n"
    )
    root = suite(
        tmp_path,
        {
            "test_framework/fixtures/websocket_manager_mock.py": unified,
            "test_framework/legacy_websocket.py": reshaping,
            "tests/test_user.py": user,
        },
    )
    findings = json.loads(run_fixlint(root, "check", "--rule", "legacy-mock-wrapper", "--format", "json").stdout)
    assert findings and not [f for f in findings if f["fix"]]
    assert any("no fix: `types` of the wrapper answer other than the mock's own" in f["message"] for f in findings)
    run_fixlint(root, "fix", "--rule", "legacy-mock-wrapper", "--unsafe-fixes")
    assert (root / "tests/test_user.py").read_text() == user
    assert pytest_summary(root).startswith("2 passed")


def test_mock_calls_where_await_cannot_go_get_no_fix(tmp_path: Path, run_fixlint) -> None:
    source = (
        "from mocks import MockWebSocketConnection\n\n\n"
        "async def test_lambda():\n    make = lambda: MockWebSocketConnection('u', 'c')\n    assert make()\n\n\n"
        "async def test_default(connection=MockWebSocketConnection('u', 'c')):\n    assert connection\n\n\n"
        "async def test_commented():\n    connection = MockWebSocketConnection(\n"
        "        'u',  # the user\n        'c',\n    )\n    assert connection\n"
    )
    write(tmp_path, {"mission_critical/test_awaits.py": source})
    findings = json.loads(run_fixlint(tmp_path, "check", "--rule", "mock-connection", "--format", "json").stdout)
    assert [(f["line"], f["fix"]) for f in findings] == [(5, None), (9, None), (14, None)]
    assert "must be awaited" in findings[0]["message"] and "comments stand inside the call" in findings[2]["message"]


def test_an_instantiation_that_cannot_be_rewritten_offers_no_fix(tmp_path: Path, run_fixlint) -> None:
    user = USER + "\n\ndef test_named():\n    assert LegacyMockWebSocketManager(*[]).messages == []\n"
    root = suite(tmp_path, {"tests/test_user.py": user})
    calls = [
        f
        for f in json.loads(run_fixlint(root, "check", "--rule", "legacy-mock-wrapper", "--format", "json").stdout)
        if "instantiates" in f["message"]
    ]
    assert [(f["line"], f["fix"] is None) for f in calls] == [(5, False), (11, True)]
    assert "its arguments have no place" in calls[1]["message"]
    run_fixlint(root, "fix", "--rule", "legacy-mock-wrapper")
    assert "LegacyMockWebSocketManager(*[])" in (root / "tests/test_user.py").read_text()
    assert "class LegacyMockWebSocketManager" in (root / "test_framework/legacy_websocket.py").read_text()
    assert pytest_summary(root).startswith("2 passed")
