"""Each test module's fixture analysis, read back from the cache, equals the analysis made
again, and after an edit only the modules the edit can change are analysed again. The run cache
tests (``test_run_cache.py``) change every kind of file a module's analysis rests on."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from test_cache_and_jobs import check, every_case

BENCH = Path(__file__).resolve().parent.parent / "bench" / "make_corpus.py"


def views_entries(cache: Path) -> set[Path]:
    return set(cache.glob("views-*/*/*.json"))


def without_runs(cache: Path) -> Path:
    """The next run misses the run cache, and reads what the others keep."""
    for runs in cache.glob("runs-*"):
        shutil.rmtree(runs)
    return cache


def test_views_read_back_equal_views_analysed_on_every_fixture_tree(tmp_path: Path, run_fixlint) -> None:
    root = every_case(tmp_path / "tree")
    cache = tmp_path / "cache"
    expected = check(run_fixlint, root, "--no-cache")
    assert check(run_fixlint, root, "--cache-dir", str(cache)) == expected  # fills the cache
    entries = views_entries(cache)
    assert len(entries) >= 20  # one per test module
    assert check(run_fixlint, root, "--cache-dir", str(without_runs(cache))) == expected
    assert views_entries(cache) == entries  # every module's analysis was read back


def test_a_corrupt_or_foreign_views_entry_is_ignored_and_rewritten(tmp_path: Path, run_fixlint) -> None:
    root = every_case(tmp_path / "tree")
    cache = tmp_path / "cache"
    expected = check(run_fixlint, root, "--cache-dir", str(cache))
    entries = sorted(views_entries(cache))
    donor = json.loads(entries[0].read_text())
    for index, entry in enumerate(entries):
        own = json.loads(entry.read_text())
        # This entry with places that do not fit (a module whose tests use no fixture has none).
        out_of_range = {**own, "views": {**own["views"], "defs": [[99, "nowhere", 0] for _ in own["views"]["defs"]]}}
        # garbage, another module's entry under this one's name, or this one with bad places
        entry.write_text(["{not json", json.dumps(donor), json.dumps(out_of_range)][index % 3])
    assert check(run_fixlint, root, "--cache-dir", str(without_runs(cache))) == expected
    for entry in entries:
        assert json.loads(entry.read_text())["key"] == entry.stem
    assert check(run_fixlint, root, "--cache-dir", str(without_runs(cache))) == expected


def test_on_the_bench_corpus_a_test_added_is_analysed_alone(tmp_path: Path) -> None:
    """A test added to one module changes what that module says: it alone is analysed again,
    and the findings equal those of a run without the cache."""
    root, cache = tmp_path / "corpus", tmp_path / "cache"
    subprocess.run([sys.executable, str(BENCH), str(root), "--files", "160"], check=True, capture_output=True)

    def text_check(*flags: str) -> str:
        command = [sys.executable, "-m", "fixlint", "check", "--exit-zero", *flags, "."]
        return subprocess.run(command, cwd=root, capture_output=True, text=True, check=True).stdout

    text_check("--cache-dir", str(cache))
    before = views_entries(cache)
    edited = sorted(root.rglob("test_*.py"))[0]
    edited.write_text(edited.read_text() + "\n\ndef test_added(settings):\n    assert settings\n")
    assert text_check("--cache-dir", str(cache)) == text_check("--no-cache")
    assert len(views_entries(cache) - before) == 1


def test_a_scope_read_from_a_constant_of_another_module_follows_its_edits(tmp_path: Path, run_fixlint) -> None:
    """The conftest and the test module stay as they are; the constant their fixture's scope
    names changes in its own module: the cached analysis must not be read back."""
    root, cache = tmp_path / "tree", tmp_path / "cache"
    (root / "tests").mkdir(parents=True)
    (root / "pytest.ini").write_text("[pytest]\n")
    (root / "tests" / "__init__.py").write_text("")
    constants = root / "tests" / "constants.py"
    constants.write_text('APP_SCOPE = "function"\n')
    (root / "tests" / "conftest.py").write_text(
        "import pytest\n\nfrom tests.constants import APP_SCOPE\n\n\n"
        "@pytest.fixture(scope=APP_SCOPE)\ndef app(tmp_path):\n    return tmp_path\n"
    )
    (root / "tests" / "test_app.py").write_text("def test_app(app):\n    assert app\n")
    assert json.loads(check(run_fixlint, root, "--cache-dir", str(cache))) == []
    entries = views_entries(cache)
    constants.write_text('APP_SCOPE = "session"\n')
    expected = check(run_fixlint, root, "--no-cache")
    assert [finding["data"]["requester_scope"] for finding in json.loads(expected)] == ["session"]
    assert check(run_fixlint, root, "--cache-dir", str(cache)) == expected  # the run cache sees the edit
    assert check(run_fixlint, root, "--cache-dir", str(without_runs(cache))) == expected  # so do the views' keys
    assert views_entries(cache) - entries  # analysed again under a new key
