"""The pre-commit hooks, through real `pre-commit try-repo` in a temporary git repository."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pre_commit  # noqa: F401  (in the test extra: a missing install fails here, loudly)
import pytest

REPO = Path(__file__).resolve().parent.parent
CONFTEST = (
    'import pytest\n\n@pytest.fixture(scope="session")\ndef app(db):\n    return db\n\n'
    "@pytest.fixture\ndef db():\n    return 1\n"
)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def user_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "suite"
    (repo / "tests").mkdir(parents=True)
    (repo / "pytest.ini").write_text("[pytest]\n")
    (repo / "tests/conftest.py").write_text(CONFTEST)
    (repo / "tests/test_app.py").write_text("def test_app(app):\n    assert app\n")
    (repo / "tests/test_other.py").write_text("def test_other():\n    pass\n")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    return repo


def try_repo(repo: Path, hook: str, *files: str, home: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), hook, "--verbose", "--files", *files],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def test_check_hook_reports_the_finding_that_concerns_the_changed_file(user_repo: Path, tmp_path: Path) -> None:
    home = tmp_path / "pre-commit-home"
    failing = try_repo(user_repo, "fixlint", "tests/test_app.py", home=home)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "tests/conftest.py:3:1: fixture-scope-mismatch" in failing.stdout
    passing = try_repo(user_repo, "fixlint", "tests/test_other.py", home=home)
    assert passing.returncode == 0, passing.stdout + passing.stderr


def test_fix_hook_rewrites_the_conftest(user_repo: Path, tmp_path: Path) -> None:
    result = try_repo(user_repo, "fixlint-fix", "tests/conftest.py", home=tmp_path / "pre-commit-home")
    assert result.returncode == 1  # pre-commit fails a hook that changed files
    assert '@pytest.fixture(scope="function")\ndef app' in (user_repo / "tests/conftest.py").read_text()
