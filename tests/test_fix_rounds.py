"""Fixes of several findings in one module land in one round of the fix loop: each fix is an
edit per region it changes, so two deletions from one conftest do not overlap."""

from __future__ import annotations

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
