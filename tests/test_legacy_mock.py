"""The legacy-mock family through the CLI: its config, another team's names, report scope."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SHIM = '''\
from fakes import make_fake


class OldNotifierShim:
    def __init__(self):
        self._fake = make_fake()
        self.sent = []

    def push(self, event):
        self._fake.push(event)
        self.sent = self._fake.sent
'''

E2E_TEST = '''\
from shims import OldNotifierShim
from sockets_fake import FakeSocket


async def test_live_flow():
    socket = FakeSocket("wss://example/1")
    notifier = OldNotifierShim()
    notifier.push(socket)
'''

OTHER_TEAM = '''\
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
'''


def write(root: Path, files: dict[str, str]) -> None:
    (root / "pytest.ini").write_text("[pytest]\n")
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_another_teams_names_work_by_config_alone(tmp_path: Path, run_fixlint) -> None:
    write(tmp_path, {"pyproject.toml": OTHER_TEAM, "shims.py": SHIM, "e2e/test_flow.py": E2E_TEST, "unit/test_flow.py": E2E_TEST})
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
    assert "socket = await RealSocket.open(url=\"wss://example/1\")" in fixed
    assert "notifier = make_fake()" in fixed
    assert "from fakes import make_fake" in fixed and "from sockets import RealSocket" in fixed
    assert "OldNotifierShim" not in fixed and "OldNotifierShim" not in (tmp_path / "shims.py").read_text()


def test_a_named_test_file_reports_the_wrapper_it_uses(tmp_path: Path, run_fixlint) -> None:
    """As pre-commit calls it: the class is reported for the test file that uses it."""
    write(tmp_path, {"pyproject.toml": OTHER_TEAM, "shims.py": SHIM, "e2e/test_flow.py": E2E_TEST, "unit/test_other.py": "def test_x():\n    pass\n"})
    named = json.loads(run_fixlint(tmp_path, "check", "--rule", "legacy-mock-wrapper", "--format", "json", "e2e/test_flow.py").stdout)
    assert sorted((f["path"], f["line"]) for f in named) == [("e2e/test_flow.py", 1), ("e2e/test_flow.py", 7), ("shims.py", 4)]
    assert run_fixlint(tmp_path, "check", "--rule", "legacy-mock-wrapper", "unit/test_other.py").exit_code == 0


@pytest.mark.parametrize(
    "table, message",
    [
        ("factori = 'make'", "unknown key `factori`"),
        ("legacy-patterns = 'Old*'", "`legacy-patterns`: expected list"),
        ("factory = 'not a name'", "`factory`: expected a dotted Python name"),
        ("[tool.fixlint.legacy-mock.real-connection-calls.FakeSocket]\nparams = ['url']\ntemplate = 'open({host})'\nimport = 'a.B'",
         "`FakeSocket` `template`: ['host'] are not among its params"),
        ("[tool.fixlint.legacy-mock.real-connection-calls.FakeSocket]\nparams = ['url']\ntemplate = 'open(({url}'\nimport = 'a.B'",
         "`FakeSocket` `template`: not a Python expression"),
        ("[tool.fixlint.legacy-mock.real-connection-calls.FakeSocket]\nparams = ['url']\ntemplate = 'open({url})'\nimport = 'B'",
         "`FakeSocket` `import`: expected `module.Name`"),
    ],
)
def test_bad_values_exit_2_naming_the_key(tmp_path: Path, run_fixlint, table: str, message: str) -> None:
    write(tmp_path, {"pyproject.toml": f"[tool.fixlint.legacy-mock]\n{table}\n", "test_x.py": "def test_x():\n    pass\n"})
    result = run_fixlint(tmp_path, "check")
    assert result.exit_code == 2
    assert "pyproject.toml" in result.output and message in result.output
