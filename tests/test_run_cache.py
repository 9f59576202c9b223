"""The run cache answers `check` only while every answer its run got from the filesystem still
holds: after any change the findings rest on, a cached run equals an uncached one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Callable

import pytest

CONFTEST = """\
import pytest

pytest_plugins = ["plugin_extra"]


@pytest.fixture(scope="session")
def settings(db, cfg):
    return db


@pytest.fixture(scope="session")
def db():
    return 1
"""
TEST = """\
from lib import helper


def test_a(settings, helper):
    assert settings
"""
# ``from lib import helper`` finds tests/lib.py while tests/ is no package, else the root's.
ROOT_LIB = "import pytest\n\n\n@pytest.fixture\ndef helper():\n    return 1\n"
TESTS_LIB = "import pytest\n\n\n@pytest.fixture(scope='module')\ndef helper(tmp_path):\n    return tmp_path\n"
FUNCTION_FIXTURE = "import pytest\n\n\n@pytest.fixture\ndef {name}():\n    return 2\n"


def make_tree(root: Path) -> Path:
    files = {
        "pytest.ini": "[pytest]\n",
        "conftest.py": CONFTEST,
        "lib.py": ROOT_LIB,
        "tests/lib.py": TESTS_LIB,
        "tests/test_a.py": TEST,
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def write(path: Path, text: str) -> None:
    path.write_text(text)


# Each changes what the test sees, through a different question to the filesystem.
MUTATIONS: dict[str, Callable[[Path], None]] = {
    "a conftest's content": lambda root: write(
        root / "conftest.py", CONFTEST.replace('session")\ndef db', 'function")\ndef db')
    ),
    "a conftest appears nearer the test": lambda root: write(
        root / "tests/conftest.py", FUNCTION_FIXTURE.format(name="db")
    ),
    "a folder becomes a package": lambda root: write(root / "tests/__init__.py", ""),
    "the pytest config's content": lambda root: write(root / "pytest.ini", "[pytest]\npython_functions = check_*\n"),
    "a new rootdir nearer the test": lambda root: write(root / "tests/pytest.ini", "[pytest]\n"),
    "a missing plugin appears": lambda root: write(root / "plugin_extra.py", FUNCTION_FIXTURE.format(name="cfg")),
    "an imported module is deleted": lambda root: (root / "tests/lib.py").unlink(),
    "an imported module's content": lambda root: write(
        root / "tests/lib.py", TESTS_LIB.replace("'module'", "'function'")
    ),
}


def check(run_fixlint, root: Path, target: str, *flags: str) -> list:
    result = run_fixlint(root, "check", "--format", "json", "--exit-zero", *flags, target)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("target", [".", "tests/test_a.py"])
@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_a_cached_run_after_a_change_equals_an_uncached_one(
    tmp_path: Path, run_fixlint, mutation: str, target: str
) -> None:
    root = make_tree(tmp_path / "tree")
    cache = ("--cache-dir", str(tmp_path / "cache"))
    before = check(run_fixlint, root, target, "--no-cache")
    assert check(run_fixlint, root, target, *cache) == before  # fills the run cache
    assert check(run_fixlint, root, target, *cache) == before  # answered by it
    MUTATIONS[mutation](root)
    after = check(run_fixlint, root, target, "--no-cache")
    assert after != before, "the change must matter, or this test proves nothing"
    assert check(run_fixlint, root, target, *cache) == after


def filled_cache_without_facts(tmp_path: Path, run_fixlint) -> tuple[Path, Path, Path, list]:
    """A tree, its cache filled by a run, that cache's facts folder, removed (a later run that
    parses a file re-creates it, one answered whole does not), and the run's findings."""
    root = make_tree(tmp_path / "tree")
    cache = tmp_path / "cache"
    expected = check(run_fixlint, root, ".", "--cache-dir", str(cache))
    (facts,) = cache.glob("facts-*")
    shutil.rmtree(facts)
    return root, cache, facts, expected


def test_a_run_that_changed_nothing_reads_no_facts(tmp_path: Path, run_fixlint) -> None:
    root, cache, facts, expected = filled_cache_without_facts(tmp_path, run_fixlint)
    assert expected
    assert check(run_fixlint, root, ".", "--cache-dir", str(cache)) == expected
    assert not facts.exists()  # answered by the run cache: no file was analysed
    # With other rules the question differs: that run is made, and fills the facts cache again.
    check(run_fixlint, root, ".", "--cache-dir", str(cache), "--rule", "fixture-scope")
    assert facts.exists()


def test_a_corrupt_or_foreign_run_entry_is_ignored_and_rewritten(tmp_path: Path, run_fixlint) -> None:
    root = make_tree(tmp_path / "tree")
    cache = tmp_path / "cache"
    whole = check(run_fixlint, root, ".", "--cache-dir", str(cache))
    only_test = check(run_fixlint, root, "tests/test_a.py", "--cache-dir", str(cache))
    entries = sorted((next(cache.glob("runs-*"))).glob("*.json"))
    assert len(entries) == 2
    first, second = entries
    text = first.read_text()
    first.write_text(second.read_text())  # another run's entry under this run's name
    second.write_text(text[: len(text) // 2])  # cut short
    assert check(run_fixlint, root, ".", "--cache-dir", str(cache)) == whole
    assert check(run_fixlint, root, "tests/test_a.py", "--cache-dir", str(cache)) == only_test
    for entry in entries:
        assert json.loads(entry.read_text())["key"] == entry.stem


def test_the_run_cache_keeps_the_newest_entries_only(tmp_path: Path, run_fixlint) -> None:
    from fixlint.engine.run_cache import RunCache

    root = make_tree(tmp_path / "tree")
    for index in range(RunCache.KEPT + 3):
        (root / f"tests/test_{index}.py").write_text("def test_x():\n    pass\n")
        check(run_fixlint, root, f"tests/test_{index}.py", "--cache-dir", str(tmp_path / "cache"))
    (runs,) = (tmp_path / "cache").glob("runs-*")
    assert len(list(runs.glob("*.json"))) == RunCache.KEPT


def test_an_edit_that_leaves_the_facts_alone_is_answered_by_the_run_cache(tmp_path: Path, run_fixlint) -> None:
    root, cache, facts, expected = filled_cache_without_facts(tmp_path, run_fixlint)
    with (root / "conftest.py").open("a") as handle:
        handle.write("\n\n# a comment and blank lines say nothing to fixlint\n")
    assert (
        check(run_fixlint, root, ".", "--cache-dir", str(cache))
        == expected
        == check(run_fixlint, root, ".", "--no-cache")
    )
    assert len(list(facts.glob("*/*.json"))) == 1  # only the edited file was read again
    shutil.rmtree(facts)
    assert check(run_fixlint, root, ".", "--cache-dir", str(cache)) == expected
    assert not facts.exists()  # the entry now holds the edited file's bytes


def test_an_edit_in_the_text_a_fix_removes_is_not_answered_by_the_run_cache(tmp_path: Path, run_fixlint) -> None:
    """The facts of a suppression do not hold its comment's text, but the fix that removes an
    unused one spans it: the run read those bytes, and they changed."""
    root = make_tree(tmp_path / "tree")
    test = root / "tests/test_a.py"
    test.write_text(
        TEST.replace("    assert settings\n", "    assert settings  # fixlint: ignore[fixture-duplicate] why\n")
    )
    cache = ("--cache-dir", str(tmp_path / "cache"))
    before = check(run_fixlint, root, ".", *cache)
    assert any(finding["rule"] == "unused-suppression" for finding in before)
    test.write_text(test.read_text().replace("] why", "] a longer reason why"))
    after = check(run_fixlint, root, ".", "--no-cache")
    assert after != before
    assert check(run_fixlint, root, ".", *cache) == after


def test_files_a_walk_does_not_read_may_come_and_go(tmp_path: Path, run_fixlint) -> None:
    root, cache, facts, expected = filled_cache_without_facts(tmp_path, run_fixlint)
    (root / "tests/run.log").write_text("a test run's log\n")
    assert check(run_fixlint, root, ".", "--cache-dir", str(cache)) == expected
    assert not facts.exists()  # answered by the run cache
    (root / "tests/test_b.py").write_text("def test_b():\n    pass\n")  # a module is another matter
    assert check(run_fixlint, root, ".", "--cache-dir", str(cache)) == expected
    assert facts.exists()


def test_on_the_bench_corpus_a_comment_costs_one_file(tmp_path: Path) -> None:
    """Every rule family fires on the generated suite; none reads bytes that a text `check`
    does not show, so a comment added to a test file is answered by the run cache."""
    import subprocess
    import sys

    root, cache = tmp_path / "corpus", tmp_path / "cache"
    bench = Path(__file__).resolve().parent.parent / "bench" / "make_corpus.py"
    subprocess.run([sys.executable, str(bench), str(root), "--files", "160"], check=True, capture_output=True)

    def text_check(*flags: str) -> str:
        command = [sys.executable, "-m", "fixlint", "check", "--exit-zero", *flags, "."]
        return subprocess.run(command, cwd=root, capture_output=True, text=True, check=True).stdout

    expected = text_check("--cache-dir", str(cache))
    assert {"fixture-scope-mismatch", "legacy-mock-wrapper", "required-events-missing"} <= set(expected.split())
    (facts,) = cache.glob("facts-*")
    shutil.rmtree(facts)
    edited = sorted(root.rglob("test_*.py"))[0]
    edited.write_text(edited.read_text() + "# an edit that says nothing\n")
    assert text_check("--cache-dir", str(cache)) == expected == text_check("--no-cache")
    assert len(list(facts.glob("*/*.json"))) == 1


def test_a_file_another_collector_may_collect_is_a_question_the_run_asked(tmp_path: Path, run_fixlint) -> None:
    """An autouse fixture of a conftest with no test module below is unused until a file another
    collector may make items of (a doctest text file) appears beside it, and then in use."""
    root = tmp_path / "tree"
    (root / "docs").mkdir(parents=True)
    (root / "pytest.ini").write_text("[pytest]\n")
    (root / "docs/conftest.py").write_text("import pytest\n\n\n@pytest.fixture(autouse=True)\ndef env():\n    yield\n")
    flags = ("--rule", "fixture-unused", "--cache-dir", str(tmp_path / "cache"))
    assert [f["rule"] for f in check(run_fixlint, root, ".", *flags)] == ["fixture-unused"]
    (root / "docs/test_guide.txt").write_text(">>> 1\n1\n")
    assert check(run_fixlint, root, ".", *flags) == []
