from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner, Result

from fixlint.cli import main


@pytest.fixture(autouse=True, scope="session")
def cache_outside_the_trees(tmp_path_factory: pytest.TempPathFactory) -> None:
    """fixlint's cache goes to one folder of the session, not into the trees the tests compare."""
    os.environ["FIXLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("fixlint_cache"))


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
