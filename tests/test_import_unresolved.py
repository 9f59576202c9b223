"""import-unresolved against pytest: on its case trees and on generated ones, the imports that
fixlint reports are the ones pytest's collection fails on (``ImportError``,
``ModuleNotFoundError``), finding for finding: (file, line) of the failing import statement."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.differential.import_trees import make_import_tree, make_third_party_tree

CASES = Path(__file__).parent / "cases" / "import-unresolved"
FRAME_RE = re.compile(r"^(?P<path>[^\s:]+\.py):(?P<line>\d+): in <module>$")
IMPORT_ERROR_RE = re.compile(r"^E\s+(ImportError|ModuleNotFoundError)\b")


# pytest run with the site-packages of a tree's own venv added as ``site`` adds one (its ``.pth``
# files read, their import lines run): what the suite's environment installs, beside pytest itself.
WITH_SITE = "import site, sys; site.addsitedir(sys.argv.pop(1)); import pytest; sys.exit(pytest.main(sys.argv[1:]))"


def pytest_import_errors(tree: Path) -> set[tuple[str, int]]:
    """Where pytest's collection fails on an import: the last frame of the tree in each report.
    A src layout's packages are installed where its suite runs: ``src`` on ``PYTHONPATH`` stands
    for the editable install."""
    environment = dict(os.environ)
    if (tree / "src").is_dir() and (tree / "pyproject.toml").is_file():
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tree / "src"), environment.get("PYTHONPATH")]))
    # A real venv of the tree's runs the suite; a venv's files alone are added to this interpreter's.
    sites = [str(path) for path in sorted(tree.glob("venv/lib/python*/site-packages"))]
    interpreter = tree / "venv" / "bin" / "python"
    runner = ["-m", "pytest"] if interpreter.exists() or not sites else ["-c", WITH_SITE, *sites]
    completed = subprocess.run(
        [str(interpreter) if interpreter.exists() else sys.executable, *runner]
        + ["--collect-only", "-q", "-p", "no:cacheprovider", "-p", "no:hypothesispytest", "--tb=short"],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
    )
    found: set[tuple[str, int]] = set()
    last_frame = None
    for line in (completed.stdout + completed.stderr).splitlines():
        frame = FRAME_RE.match(line.strip())
        if frame and not Path(frame["path"]).is_absolute():
            last_frame = (frame["path"], int(frame["line"]))
        elif IMPORT_ERROR_RE.match(line) and last_frame is not None:
            found.add(last_frame)
            last_frame = None
    return found


def fixlint_findings(tree: Path) -> set[tuple[str, int]]:
    completed = subprocess.run(
        [sys.executable, "-m", "fixlint", "check", "--no-cache", "--rule", "import-unresolved", "--format", "json"],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode in (0, 1), completed.stderr
    return {(finding["path"], finding["line"]) for finding in json.loads(completed.stdout)}


def case_trees() -> list[Path]:
    return sorted(path for path in CASES.iterdir() if path.is_dir())


@pytest.mark.parametrize("case", case_trees(), ids=lambda path: path.name)
def test_the_cases_fail_in_pytest_where_fixlint_says(case: Path, tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(case, tree, ignore=shutil.ignore_patterns("expected.findings"))
    expected = pytest_import_errors(tree)
    assert bool(expected) == case.name.startswith("bad_"), "a bad case must fail in pytest, an ok one not"
    assert fixlint_findings(tree) == expected


@pytest.mark.parametrize("seed", range(4))
def test_generated_trees_agree_with_pytest(seed: int, tmp_path: Path) -> None:
    make_import_tree(tmp_path, seed)
    assert fixlint_findings(tmp_path) == pytest_import_errors(tmp_path)


@pytest.mark.parametrize("seed", range(3))
def test_generated_third_party_trees_agree_with_pytest_in_their_venv(seed: int, tmp_path: Path) -> None:
    """A real venv of the tree's (``venv/``, found as the project's), with modules installed in it
    every way an import finds them: pytest, run by its interpreter, fails to collect exactly
    where fixlint says a module is not installed."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "venv")], check=True, timeout=120)
    site = next((tmp_path / "venv" / "lib").glob("python*/site-packages"))
    make_third_party_tree(tmp_path, site, seed, str(Path(pytest.__file__).parent.parent))
    expected = pytest_import_errors(tmp_path)
    assert fixlint_findings(tmp_path) == expected
    assert expected, "each tree has a module that fails on a missing module"
