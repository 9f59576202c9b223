"""The README's pre-commit snippet, pasted as a user would, through real pre-commit: against a
clone of this repository at a tag that `scripts/release` made there (the clone holds what is
committed), with no network beyond pip's own index."""

from __future__ import annotations

import os
import re
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
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@t",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@t",
}
VERSION = "99.0.0"


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env={**os.environ, **GIT_ENV}
    )
    return done.stdout


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of this repository with a release made by `scripts/release`: a changelog entry,
    then the release commit and its tag."""
    clone = tmp_path_factory.mktemp("fixlint-clone")
    git(clone.parent, "clone", "-q", str(REPO), str(clone))
    changelog = clone / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text().replace("## [Unreleased]\n", "## [Unreleased]\n\n- A change to release.\n", 1)
    )
    git(clone, "commit", "-q", "-am", "A change")
    result = subprocess.run(
        [sys.executable, "scripts/release", VERSION],
        cwd=clone,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
    )
    assert result.returncode == 0, result.stderr
    return clone


def test_the_release_script_sets_the_version_moves_the_notes_and_tags(released: Path) -> None:
    assert f'__version__ = "{VERSION}"' in (released / "fixlint/__init__.py").read_text()
    changelog = (released / "CHANGELOG.md").read_text()
    assert re.search(
        rf"## \[Unreleased\]\n\n## \[{VERSION}\] - \d{{4}}-\d\d-\d\d\n\n- A change to release\.", changelog
    )
    assert git(released, "tag", "--list", "--format=%(objecttype) %(subject)", f"v{VERSION}").strip() == (
        f"tag fixlint {VERSION}"
    )
    assert "- A change to release." in git(released, "tag", "--list", "--format=%(contents)", f"v{VERSION}")
    assert git(released, "status", "--porcelain") == ""
    again = subprocess.run([sys.executable, "scripts/release", VERSION], cwd=released, capture_output=True, text=True)
    assert again.returncode == 1 and f"v{VERSION} is already tagged" in again.stderr


def readme_snippet() -> str:
    section = (REPO / "README.md").read_text().split("## pre-commit", 1)[1]
    return re.search(r"```yaml\n(.*?)```", section, re.DOTALL).group(1)


def user_repo(root: Path, released: Path, hook: str = "fixlint") -> Path:
    """A suite with a scope mismatch, and the README's snippet with the placeholder replaced."""
    (root / "tests").mkdir(parents=True)
    (root / "pytest.ini").write_text("[pytest]\n")
    (root / "tests/conftest.py").write_text(CONFTEST)
    (root / "tests/test_app.py").write_text("def test_app(app):\n    assert app\n")
    (root / "tests/test_other.py").write_text("def test_other():\n    pass\n")
    snippet = readme_snippet()
    assert "YOUR-ORG" in snippet  # the placeholder says it is one
    config = re.sub(r"repo: \S+", f"repo: {released}", snippet, count=1)
    config = re.sub(r"rev: \S+", f"rev: v{VERSION}", config, count=1)
    if hook != "fixlint":
        config = config.replace("- id: fixlint ", "# - id: fixlint ").replace(f"# - id: {hook}", f"- id: {hook}")
    (root / ".pre-commit-config.yaml").write_text(config)
    git(root, "init", "-q")
    git(root, "add", ".")
    return root


def pre_commit_run(repo: Path, *files: str, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--files", *files],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home)},
        timeout=900,
    )


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One home for the module: pre-commit installs the hook's environment once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def test_the_readme_snippet_fails_a_finding_and_passes_a_clean_file(
    tmp_path: Path, released: Path, pre_commit_home: Path
) -> None:
    repo = user_repo(tmp_path / "suite", released)
    failing = pre_commit_run(repo, "tests/test_app.py", home=pre_commit_home)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "--> tests/conftest.py:3:1" in failing.stdout and "fixture-scope-mismatch" in failing.stdout
    passing = pre_commit_run(repo, "tests/test_other.py", home=pre_commit_home)
    assert passing.returncode == 0, passing.stdout + passing.stderr


def test_the_fix_hook_rewrites_the_conftest(tmp_path: Path, released: Path, pre_commit_home: Path) -> None:
    repo = user_repo(tmp_path / "suite", released, hook="fixlint-fix")
    assert "- id: fixlint-fix" in (repo / ".pre-commit-config.yaml").read_text()
    result = pre_commit_run(repo, "tests/conftest.py", home=pre_commit_home)
    assert result.returncode == 1  # pre-commit fails a hook that changed files
    assert '@pytest.fixture(scope="function")\ndef app' in (repo / "tests/conftest.py").read_text()
