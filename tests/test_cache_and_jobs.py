"""The per-file pass run in parallel, and from the cache, gives exactly what one process does."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from fixlint.files.cache_dir import CACHE_DIR_NAME

FIXTURES = Path(__file__).parent / "cases"


def every_case(root: Path) -> Path:
    """All fixture trees side by side: each keeps its own pytest.ini, as services of a monorepo."""
    for case in sorted(p for rule in FIXTURES.iterdir() for p in rule.iterdir() if p.is_dir()):
        shutil.copytree(
            case, root / case.parent.name / case.name, ignore=shutil.ignore_patterns("after*", "expected.findings")
        )
    return root


def check(run_fixlint, root: Path, *flags: str) -> str:
    result = run_fixlint(root, "check", "--format", "json", "--exit-zero", *flags, ".")
    assert result.exit_code == 0, result.output
    return result.stdout


def test_parallel_and_cached_runs_equal_a_serial_uncached_one(tmp_path: Path, run_fixlint, facts_only) -> None:
    root = every_case(tmp_path / "tree")
    cache = tmp_path / "cache"
    serial = check(run_fixlint, root, "--jobs", "1", "--no-cache")
    assert len(json.loads(serial)) > 50
    assert check(run_fixlint, root, "--jobs", "2", "--no-cache") == serial
    assert check(run_fixlint, root, "--jobs", "2", "--cache-dir", str(cache)) == serial  # cold: fills it
    assert facts_only(cache)
    assert check(run_fixlint, root, "--jobs", "2", "--cache-dir", str(cache)) == serial  # warm facts
    assert check(run_fixlint, root, "--jobs", "2", "--cache-dir", str(cache)) == serial  # the whole run


def test_a_corrupt_or_foreign_cache_entry_is_ignored_and_rewritten(tmp_path: Path, run_fixlint, facts_only) -> None:
    root = every_case(tmp_path / "tree")
    cache = tmp_path / "cache"
    expected = check(run_fixlint, root, "--cache-dir", str(cache))
    entries = facts_only(cache)
    donor = entries[0].read_text()
    for index, entry in enumerate(entries):
        # garbage, an entry of another file under this file's name, a stale version
        entry.write_text(["{not json", donor, donor.replace('"version":', '"version":"0.0.0","was":')][index % 3])
    assert check(run_fixlint, root, "--cache-dir", str(cache)) == expected
    assert all(json.loads(entry.read_text())["key"] == entry.stem for entry in entries)


def test_the_cache_sits_at_the_project_root_and_clean_removes_it(tmp_path: Path, run_fixlint, monkeypatch) -> None:
    monkeypatch.delenv("FIXLINT_CACHE_DIR")
    (tmp_path / "pyproject.toml").write_text("[tool.fixlint]\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/test_x.py").write_text("def test_x():\n    pass\n")
    assert run_fixlint(tmp_path / "tests", "check").exit_code == 0
    assert (tmp_path / CACHE_DIR_NAME / "CACHEDIR.TAG").is_file()
    result = run_fixlint(tmp_path, "clean")
    assert result.exit_code == 0 and "removed" in result.output
    assert not (tmp_path / CACHE_DIR_NAME).exists()


def test_without_fixlint_settings_the_cache_sits_at_the_project_root(tmp_path: Path, run_fixlint, monkeypatch) -> None:
    """No `[tool.fixlint]`: the cache goes where the project's files are (here a pytest.ini and a
    repository), not into the folder checked, so that `fixlint clean` at the root removes it."""
    monkeypatch.delenv("FIXLINT_CACHE_DIR")
    (tmp_path / ".git").mkdir()
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/test_x.py").write_text("def test_x():\n    pass\n")
    assert run_fixlint(tmp_path / "tests", "check", ".").exit_code == 0
    assert not (tmp_path / "tests" / CACHE_DIR_NAME).exists()
    assert (tmp_path / CACHE_DIR_NAME / "CACHEDIR.TAG").is_file()
    assert run_fixlint(tmp_path, "clean").exit_code == 0
    assert not (tmp_path / CACHE_DIR_NAME).exists()


def test_a_progress_count_only_on_a_terminal(tmp_path: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    root = tmp_path / "tree"
    # Enough files of the realistic size for a per-file pass of more than a second.
    bench = Path(__file__).resolve().parent.parent / "bench" / "make_corpus.py"
    subprocess.run([sys.executable, str(bench), str(root), "--files", "200"], check=True, capture_output=True)
    command = [sys.executable, "-m", "fixlint", "check", "--no-cache", "--jobs", "1", "--exit-zero", "."]
    piped = subprocess.run(command, cwd=root, capture_output=True, text=True)
    assert "files" not in piped.stderr
    leader, follower = pty.openpty()
    started = subprocess.run(command, cwd=root, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    assert started.returncode == 0
    # The run takes more than a second: the count shows, then its line is cleared.
    assert b"fixlint: " in shown and b" files" in shown and shown.endswith(b"\r\x1b[K")
