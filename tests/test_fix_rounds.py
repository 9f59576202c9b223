"""Fixes of several findings in one module land in one round of the fix loop: each fix is an
edit per region it changes, so two deletions from one conftest do not overlap."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import make_tree
from tests.test_terminal import on_terminal

CONFTEST = """import os
import pytest


@pytest.fixture
def legacy_env():
    return dict(os.environ)


@pytest.fixture
def client():
    return "client"


@pytest.fixture
def legacy_client():
    return "legacy"


@pytest.fixture
def legacy_token():
    return "token"
"""


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_three_unused_fixtures_of_one_conftest_go_in_one_round(tmp_path: Path, ending: str) -> None:
    tree = make_tree(tmp_path, {"tests/test_app.py": "def test_app(client):\n    assert client\n"})
    (tree / "tests/conftest.py").write_bytes(CONFTEST.replace("\n", ending).encode())
    args = ("fix", "--no-cache", "--unsafe-fixes", "--select", "fixture-unused")
    code, shown, out = on_terminal(tree, *args, stdout_tty=False, FIXLINT_PROGRESS_DELAY="0")
    assert code == 0, shown + out
    assert out.splitlines() == ["Found 3 errors (3 fixed, 0 remaining)."]
    assert "fix round 1: " in shown
    assert "fix round 2: " not in shown, shown  # one re-analysis: no fix waited for another
    fixed = 'import pytest\n\n\n@pytest.fixture\ndef client():\n    return "client"\n'
    assert (tree / "tests/conftest.py").read_bytes() == fixed.replace("\n", ending).encode()


def test_fixtures_imported_by_many_modules_move_into_one_conftest_in_one_round(tmp_path: Path) -> None:
    """Each module's re-export is an import line added at one point of the conftest: they stand
    in any order, so twelve fixes take one round (a fix loop of ten rounds once left two), and
    pytest then gives every test its fixture. Two modules that import different fixtures under
    one name are left alone: moved side by side, one would get the other's."""
    names = [f"resource_{number:02}" for number in range(12)]
    files = {
        "pytest.ini": "[pytest]\n",
        "tests/__init__.py": "",
        "tests/conftest.py": "import pytest\n",
        "tests/helpers.py": "import pytest\n"
        + "".join(f"\n\n@pytest.fixture\ndef {name}():\n    return {name!r}\n" for name in names),
        "tests/other_helpers.py": "import pytest\n\n\n@pytest.fixture\ndef resource_00():\n    return 'other'\n",
        "tests/test_other.py": "from tests.other_helpers import resource_00\n\n\n"
        "def test_other(resource_00):\n    assert resource_00 == 'other'\n",
    }
    for name in names:
        files[f"tests/test_{name}.py"] = (
            f"from tests.helpers import {name}\n\n\ndef test_{name}({name}):\n    assert {name} == {name!r}\n"
        )
    tree = make_tree(tmp_path, files)
    args = ("fix", "--no-cache", "--unsafe-fixes", "--select", "fixture-imported")
    code, shown, out = on_terminal(tree, *args, stdout_tty=False, FIXLINT_PROGRESS_DELAY="0")
    assert out.splitlines()[-1] == "Found 13 errors (11 fixed, 2 remaining).", shown + out
    assert "fix round 2: " not in shown, shown
    assert "test_other.py imports another `resource_00`" in shown, shown
    conftest = (tree / "tests/conftest.py").read_text()
    assert conftest == "import pytest\n" + "".join(
        f"from tests.helpers import {name}  # noqa: F401\n" for name in names[1:]
    )
    again = on_terminal(tree, *args, "--diff", stdout_tty=False)
    assert again[2].strip() == "", again
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=tree, capture_output=True, text=True
    )
    assert run.returncode == 0 and "13 passed" in run.stdout, run.stdout + run.stderr
