"""Each file is judged under the nearest pytest configuration above it, as `pytest <that folder>`
judges it; the answers are checked against real pytest runs of each service."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CONFTEST_ROOT = (
    "import pytest\n\n@pytest.fixture(scope='session')\ndef shared(db):\n    return db\n\n"
    "@pytest.fixture\ndef db():\n    return 1\n"
)
SERVICE_A_CONFTEST = (
    "import pytest\n\n@pytest.fixture(scope='module')\ndef shared(db):\n    return db\n\n"
    "@pytest.fixture(scope='module')\ndef db():\n    return 2\n"
)


def write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_each_service_is_judged_under_its_own_config(tmp_path: Path, run_fixlint) -> None:
    write(
        tmp_path,
        {
            "pytest.ini": "[pytest]\n",
            "conftest.py": CONFTEST_ROOT,
            "test_root.py": "def test_root(shared):\n    pass\n",
            # service a: its own rootdir, so the root conftest does not reach its tests
            "services/a/pytest.ini": "[pytest]\npython_files = check_*.py\n",
            "services/a/conftest.py": SERVICE_A_CONFTEST,
            "services/a/check_a.py": "def test_a(shared):\n    pass\n",
            "services/a/test_ignored.py": "def test_not_collected(shared):\n    pass\n",
            # service b: configured in pyproject.toml, no conftest: it sees no `shared` at all
            "services/b/pyproject.toml": "[tool.pytest.ini_options]\npython_functions = ['check']\n",
            "services/b/test_b.py": "def check_b():\n    pass\n",
            # service c: a pyproject.toml that pytest rejects
            "services/c/pyproject.toml": "[tool.pytest.ini_options\n",
            "services/c/test_c.py": "def test_c():\n    pass\n",
            # service d: valid TOML, but native [tool.pytest] settings are typed and this is no list
            "services/d/pyproject.toml": "[tool.pytest]\nusefixtures = 'db'\n",
            "services/d/test_d.py": "def test_d():\n    pass\n",
        },
    )
    findings = json.loads(run_fixlint(tmp_path, "check", "--format", "json", ".").stdout)
    summary = sorted((f["rule"], f["path"], tuple(f["data"].get("tests", ()))) for f in findings)
    assert summary == [
        ("fixture-scope-mismatch", "conftest.py", ("test_root.py::test_root",)),
        ("pytest-config", "services/c/pyproject.toml", ()),
        ("pytest-config", "services/d/pyproject.toml", ()),
    ]
    assert pytest_errors(tmp_path) == {"test_root.py::test_root"}
    assert pytest_errors(tmp_path / "services/a") == set()
    assert "check_b PASSED" in run_pytest(tmp_path / "services/b", "-v")
    assert "config option 'usefixtures' expects a list" in run_pytest(tmp_path / "services/d")


def run_pytest(folder: Path, *args: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rE", *args, str(folder)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return completed.stdout + completed.stderr


def pytest_errors(folder: Path) -> set[str]:
    return {
        line.split()[1]
        for line in run_pytest(folder, "-q").splitlines()
        if line.startswith("ERROR ") and "ScopeMismatch" in line
    }


def test_testpaths_are_the_default_targets(tmp_path: Path, run_fixlint) -> None:
    write(
        tmp_path,
        {
            "pytest.ini": "[pytest]\ntestpaths = tests\n",
            "tests/conftest.py": CONFTEST_ROOT,
            "tests/test_x.py": "def test_x(shared):\n    pass\n",
            "scratch/conftest.py": CONFTEST_ROOT,
            "scratch/test_y.py": "def test_y(shared):\n    pass\n",
        },
    )
    findings = json.loads(run_fixlint(tmp_path, "check", "--format", "json").stdout)
    assert [f["path"] for f in findings] == ["tests/conftest.py"]
