from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner, Result

from fixlint.cli import main


@pytest.fixture(autouse=True, scope="session")
def cache_outside_the_trees(tmp_path_factory: pytest.TempPathFactory) -> None:
    """fixlint's cache goes to one folder of the session, not into the trees the tests compare."""
    os.environ["FIXLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("fixlint_cache"))


@pytest.fixture(autouse=True, scope="session")
def no_active_venv() -> None:
    """fixlint takes an active venv (``VIRTUAL_ENV``) for the suite's environment: the venv of
    the shell that runs these tests is not that of the trees they make (a test names one itself)."""
    os.environ.pop("VIRTUAL_ENV", None)


@pytest.fixture
def facts_only() -> Callable[[Path], list[Path]]:
    """A cache's per-file entries, once its whole-run entries are removed: the next run reads them."""

    def entries(cache: Path) -> list[Path]:
        for runs in cache.glob("runs-*"):
            shutil.rmtree(runs)
        return sorted(cache.glob("facts-*/*/*.json"))

    return entries


@pytest.fixture
def run_fixlint() -> Callable[..., Result]:
    """Run the real CLI in a folder, as a user would from a shell there."""

    def run(root: Path, *args: str) -> Result:
        previous = os.getcwd()
        os.chdir(root)
        try:
            return CliRunner().invoke(main, list(args), catch_exceptions=False)
        finally:
            os.chdir(previous)

    return run


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# As the machine notes advise: no background traffic on a closed network, a fresh profile.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
)


@pytest.fixture
def chromium(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess]:
    """Debian's headless Chromium with a fresh profile; the test skips, saying why, where it is missing."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed here (Debian: apt-get install chromium)")

    def run(*args: str) -> subprocess.CompletedProcess:
        profile = tmp_path / "profile"
        return subprocess.run(
            [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run
