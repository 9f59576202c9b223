"""The fast per-file pass (``ast``) gives the very facts of the LibCST one, so findings and fixes
cannot tell which ran: compared on every fixture tree, on a generated bench corpus, and on odd
shapes of code collected in ``tests/fast_extraction/`` (encodings, line endings, tabs, patterns,
f-strings, parentheses, one-line bodies...)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from fixlint.extraction import extract_facts
from fixlint.facts.reader import fast_facts
from fixlint.facts.file_pass import file_facts

REPO = Path(__file__).resolve().parent.parent
ODD_SHAPES = REPO / "tests" / "fast_extraction"


def first_difference(path: Path) -> str:
    """Empty when both paths agree; else the first field that differs, for the failure message."""
    data = path.read_bytes()
    reference, fast = extract_facts(str(path), data), file_facts(str(path), data)
    if reference == fast:
        return ""
    slow_fields, fast_fields = dataclasses.asdict(reference), dataclasses.asdict(fast)
    field = next(name for name in slow_fields if slow_fields[name] != fast_fields[name])
    return f"{path}: {field}\n  libcst: {slow_fields[field]}\n  ast:    {fast_fields[field]}"


def modules(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*.py") if path.is_file())


def test_the_odd_shapes_take_the_fast_path() -> None:
    """Each of them is read by ``ast``: a fallback to LibCST would prove nothing."""
    for path in modules(ODD_SHAPES):
        data = path.read_bytes()
        encoding = "latin-1" if b"latin-1" in data[:80] else "utf-8-sig"
        assert fast_facts(str(path), data.decode(encoding)) is not None, path


@pytest.mark.parametrize("tree", ["fixtures", "fast_extraction"])
def test_same_facts_on_the_fixture_trees(tree: str) -> None:
    differences = [difference for path in modules(REPO / "tests" / tree) if (difference := first_difference(path))]
    assert not differences, "\n".join(differences[:5])


def test_same_facts_on_a_generated_bench_corpus(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "bench" / "make_corpus.py"), str(root), "--files", "40"], check=True, capture_output=True)
    differences = [difference for path in modules(root) if (difference := first_difference(path))]
    assert not differences, "\n".join(differences[:5])


def test_what_ast_refuses_goes_to_libcst(tmp_path: Path) -> None:
    """Syntax newer than this interpreter's, and syntax errors, which LibCST words."""
    broken = tmp_path / "test_broken.py"
    broken.write_bytes(b"def test_x(:\n    pass\n")
    assert file_facts(str(broken), broken.read_bytes()).syntax_error is not None
    nul = tmp_path / "test_nul.py"
    nul.write_bytes(b"x = '\x00'\n")
    assert file_facts(str(nul), nul.read_bytes()).syntax_error.message == "source code cannot contain null bytes"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda text: text.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(lambda text: text.replace("\n", "\r").encode(), id="cr"),
        pytest.param(lambda text: "".join(line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(text.split("\n"))).encode(), id="mixed"),
        pytest.param(lambda text: b"\xef\xbb\xbf" + text.encode(), id="bom"),
        pytest.param(lambda text: ("# -*- coding: latin-1 -*-\n" + text).encode("latin-1", "replace"), id="latin-1"),
        pytest.param(lambda text: text.rstrip("\n").encode(), id="no-final-newline"),
    ],
)
def test_same_facts_whatever_the_encoding_and_line_endings(variant, tmp_path: Path) -> None:
    differences = []
    for source in modules(ODD_SHAPES):
        path = tmp_path / source.name
        path.write_bytes(variant(source.read_text(encoding="utf-8")))
        differences.append(first_difference(path))
    assert not any(differences), "\n".join(filter(None, differences))
