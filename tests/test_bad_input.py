"""Bad input, as a user's tree holds it: each bad file sits next to good files that have a
finding (a session fixture `app` requesting the function fixture `db`), and both `check` and
`fix` must name the bad file and its problem, still report or fix the mismatch, print no
traceback, exit as documented (0 nothing left, 1 findings remain, 2 usage or config error) and
leave every byte alone that no fix is meant to touch."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Optional

import libcst
import pytest
from click.testing import Result

CONFTEST = """\
import pytest


@pytest.fixture(scope="session")
def app(db):
    return db


@pytest.fixture
def db():
    return 1
"""
TEST_APP = "def test_app(app):\n    assert app\n"
MISMATCH = ("fixture-scope-mismatch", "tests/conftest.py")
SESSION, FUNCTION = b'@pytest.fixture(scope="session")', b'@pytest.fixture(scope="function")'
TEXT_FINDING_RE = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+):(?P<column>\d+): (?P<rule>[\w-]+) ", re.MULTILINE)


def make_tree(
    root: Path, files: Optional[dict[str, bytes]] = None, ini: bool = True, conftest: bytes = CONFTEST.encode()
) -> Path:
    """The good files with the mismatch, plus the bad ones, written byte for byte."""
    base = {"tests/conftest.py": conftest, "tests/test_app.py": TEST_APP.encode()}
    if ini:
        base["pytest.ini"] = b"[pytest]\n"
    for relative, data in {**base, **(files or {})}.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def check(run_fixlint, root: Path, *args: str) -> tuple[Result, set[tuple[str, str]], list[dict]]:
    result = run_fixlint(root, "check", "--format", "json", *args)
    assert "Traceback" not in result.output, result.output
    findings = json.loads(result.stdout)
    return result, {(f["rule"], f["path"]) for f in findings}, findings


def fix(run_fixlint, root: Path, *args: str) -> tuple[Result, set[tuple[str, str]]]:
    result = run_fixlint(root, "fix", "--format", "concise", *args)
    assert "Traceback" not in result.output, result.output
    left = {(m["rule"], m["path"]) for m in TEXT_FINDING_RE.finditer(result.stdout)}
    return result, left


def cpython_error(source: bytes) -> SyntaxError:
    """The error CPython's compiler gives for ``source``: the premise of a test, and what
    fixlint's finding must say."""
    with pytest.raises(SyntaxError) as caught:
        compile(source, "test_bad.py", "exec", dont_inherit=True)
    return caught.value


def assert_mismatch_fixed(
    root: Path, result: Result, left: set[tuple[str, str]], conftest_before: bytes = CONFTEST.encode()
) -> None:
    assert MISMATCH not in left, result.output
    assert "1 fixed" in result.stdout or "All checks passed!" in result.stdout, result.output
    assert (root / "tests/conftest.py").read_bytes() == conftest_before.replace(SESSION, FUNCTION)


# -- 1. a syntax error ------------------------------------------------------------------------


def test_syntax_error_is_a_finding_with_line_and_column(tmp_path: Path, run_fixlint) -> None:
    broken = b"import pytest\n\ndef test_x(:\n    pass\n"
    make_tree(tmp_path, {"tests/test_broken.py": broken})
    result, found, findings = check(run_fixlint, tmp_path)
    assert found == {MISMATCH, ("syntax-error", "tests/test_broken.py")}
    (error,) = [f for f in findings if f["rule"] == "syntax-error"]
    assert (error["line"], error["column"]) == (3, 12)  # where CPython puts it: `(:`
    assert error["message"] == cpython_error(broken).msg  # CPython's words, no more
    assert result.exit_code == 1

    result, left = fix(run_fixlint, tmp_path)
    assert ("syntax-error", "tests/test_broken.py") in left
    assert "tests/test_broken.py:3:12: syntax-error" in result.stdout
    assert_mismatch_fixed(tmp_path, result, left)
    assert result.exit_code == 1
    assert (tmp_path / "tests/test_broken.py").read_bytes() == broken


# -- 2. syntax of a later Python than this one ---------------------------------------------------

NEWER_SYNTAX = [
    pytest.param(
        (3, 12), "a `type` alias", b"type Alias = int\n\n\ndef test_newer(app):\n    assert app\n", id="type-alias"
    ),
    pytest.param(
        (3, 12),
        "a type parameter list",
        b"def first[T](items: list[T]) -> T:\n    return items[0]\n\n\ndef test_newer(app):\n    assert first([app])\n",
        id="def-type-parameters",
    ),
    pytest.param(
        (3, 12),
        "a type parameter list",
        b"class Box[T]:\n    pass\n\n\ndef test_newer(app):\n    assert Box\n",
        id="class-type-parameters",
    ),
    pytest.param(
        (3, 12),
        "a backslash in an f-string's expression",
        b"def test_newer(app):\n    assert f\"{'\\n'.join([app])}\"\n",
        id="f-string-backslash",
    ),
    pytest.param(
        (3, 12),
        "an f-string's own quote inside its expression",
        b'def test_newer(app):\n    assert f"{app["name"]}"\n',
        id="f-string-own-quote",
    ),
    pytest.param(
        (3, 12),
        "a line break in an f-string's expression",
        b'def test_newer(app):\n    assert f"{\n        app}"\n',
        id="f-string-line-break",
    ),
    pytest.param(
        (3, 14),
        "`except` without parentheses",
        b"def test_newer(app):\n    try:\n        pass\n    except ValueError, TypeError:\n        pass\n",
        id="except-without-parentheses",
    ),
    pytest.param((3, 14), "a template string", b"def test_newer(app):\n    assert t'{app}'\n", id="t-string"),
]


@pytest.mark.parametrize(("version", "what", "source"), NEWER_SYNTAX)
def test_syntax_of_a_later_python_is_a_finding_naming_the_version(
    tmp_path: Path, run_fixlint, version: tuple[int, int], what: str, source: bytes
) -> None:
    """On a Python before ``version``: a syntax error, in CPython's words and at its place, that
    names the version the syntax needs (pytest could not import the module either). From that
    version on, the module is read like any other: its test is one of the mismatch's."""
    make_tree(tmp_path, {"tests/test_newer.py": source})
    result, found, findings = check(run_fixlint, tmp_path, "--rule", "syntax-error,fixture-scope-mismatch")
    (mismatch,) = [f for f in findings if f["rule"] == "fixture-scope-mismatch"]
    assert result.exit_code == 1
    if sys.version_info >= version:
        compile(source, "test_newer.py", "exec", dont_inherit=True)  # the premise: this Python reads it
        assert found == {MISMATCH}, result.output
        assert "tests/test_newer.py::test_newer" in mismatch["data"]["tests"]
        return
    error = cpython_error(source)
    assert found == {MISMATCH, ("syntax-error", "tests/test_newer.py")}, result.output
    (finding,) = [f for f in findings if f["rule"] == "syntax-error"]
    this = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert finding["message"] == f"{error.msg} ({what} needs Python {version[0]}.{version[1]}; this is Python {this})"
    assert (finding["line"], finding["column"]) == (error.lineno, error.offset)
    assert mismatch["data"]["tests"] == ["tests/test_app.py::test_app"]


@pytest.mark.parametrize(("version", "what", "source"), NEWER_SYNTAX[:3])
def test_syntax_of_a_later_python_that_the_project_requires_is_a_warning(
    tmp_path: Path, run_fixlint, version: tuple[int, int], what: str, source: bytes
) -> None:
    """A project whose ``requires-python`` excludes this Python and admits the one the syntax
    needs is not in error: this interpreter cannot read it. One warning says so and how to check
    those files; no finding. A later pyproject that admits this Python makes it a finding again
    (warm: the run cache notes the pyproject it read)."""
    if sys.version_info >= version:
        pytest.skip(f"this Python reads {what}")
    needed = f"{version[0]}.{version[1]}"
    make_tree(
        tmp_path,
        {
            "pyproject.toml": f'[project]\nname = "app"\nrequires-python = ">={needed}"\n'.encode(),
            "tests/test_newer.py": source,
        },
    )
    result, found, _ = check(run_fixlint, tmp_path, "--rule", "syntax-error,fixture-scope-mismatch")
    assert found == {MISMATCH}, result.output
    this = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert (
        f"fixlint: warning: 1 file uses the syntax of Python {needed}, which the project requires "
        f"(requires-python = '>={needed}'); this is Python {this}, which cannot read it: run fixlint on "
        f"Python {needed} or later to check it (tests/test_newer.py)"
    ) in result.stderr

    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "app"\nrequires-python = ">={this}"\n')
    result, found, _ = check(run_fixlint, tmp_path, "--rule", "syntax-error,fixture-scope-mismatch")
    assert found == {MISMATCH, ("syntax-error", "tests/test_newer.py")}, result.output
    assert "warning" not in result.stderr


# -- 3. encodings -----------------------------------------------------------------------------


def test_latin1_bytes_without_a_cookie_are_a_finding(tmp_path: Path, run_fixlint) -> None:
    latin = b'def test_cafe():\n    assert "caf\xe9"\n'
    make_tree(tmp_path, {"tests/test_latin.py": latin})
    result, found, findings = check(run_fixlint, tmp_path)
    assert found == {MISMATCH, ("syntax-error", "tests/test_latin.py")}, result.output
    (error,) = [f for f in findings if f["path"] == "tests/test_latin.py"]
    assert "encoding" in error["message"] or "decode" in error["message"]
    expected = cpython_error(latin)
    assert (error["message"], error["line"], error["column"]) == (expected.msg, expected.lineno, expected.offset)
    assert result.exit_code == 1

    result, left = fix(run_fixlint, tmp_path)
    assert ("syntax-error", "tests/test_latin.py") in left
    assert_mismatch_fixed(tmp_path, result, left)
    assert result.exit_code == 1
    assert (tmp_path / "tests/test_latin.py").read_bytes() == latin


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(b"# -*- coding: no-such-codec -*-\ndef test_x(app):\n    pass\n", id="an-unknown-codec"),
        pytest.param(
            b"\xef\xbb\xbf# -*- coding: latin-1 -*-\ndef test_x(app):\n    pass\n", id="a-bom-and-a-latin-1-cookie"
        ),
        pytest.param(b"# coding: ascii\ndef test_x(app):\n    assert '\xc3\xa9'\n", id="utf-8-in-an-ascii-file"),
    ],
)
def test_an_undecodable_file_is_a_finding_in_cpythons_words(tmp_path: Path, run_fixlint, source: bytes) -> None:
    error = cpython_error(source)
    make_tree(tmp_path, {"tests/test_undecodable.py": source})
    result, found, findings = check(run_fixlint, tmp_path)
    assert found == {MISMATCH, ("syntax-error", "tests/test_undecodable.py")}, result.output
    (finding,) = [f for f in findings if f["rule"] == "syntax-error"]
    assert finding["message"] == error.msg
    assert "encod" in finding["message"] or "codec" in finding["message"] or "decode" in finding["message"]
    assert result.exit_code == 1

    result, left = fix(run_fixlint, tmp_path)
    assert ("syntax-error", "tests/test_undecodable.py") in left, result.output
    assert_mismatch_fixed(tmp_path, result, left)
    assert result.exit_code == 1
    assert (tmp_path / "tests/test_undecodable.py").read_bytes() == source


def test_latin1_with_a_cookie_is_parsed_and_fixed_keeping_its_encoding(tmp_path: Path, run_fixlint) -> None:
    conftest = b"# -*- coding: latin-1 -*-\n" + CONFTEST.encode().replace(b"return 1", b'return "caf\xe9"')
    latin_test = b'# -*- coding: latin-1 -*-\ndef test_cafe(app):\n    assert app == "caf\xe9"\n'
    make_tree(tmp_path, {"tests/test_latin.py": latin_test}, conftest=conftest)
    result, found, _ = check(run_fixlint, tmp_path)
    assert found == {MISMATCH}, result.output
    assert result.exit_code == 1

    result, left = fix(run_fixlint, tmp_path)
    assert left == set(), result.output
    assert_mismatch_fixed(tmp_path, result, left, conftest)  # byte for byte: \xe9 stays one latin-1 byte
    assert result.exit_code == 0
    assert (tmp_path / "tests/test_latin.py").read_bytes() == latin_test


# -- 4. a UTF-8 BOM ---------------------------------------------------------------------------


def test_a_bom_file_is_fixed_and_keeps_its_bom(tmp_path: Path, run_fixlint) -> None:
    conftest = b"\xef\xbb\xbf" + CONFTEST.encode()
    make_tree(
        tmp_path,
        {"tests/test_bom.py": b"\xef\xbb\xbf" + TEST_APP.replace("test_app", "test_bom").encode()},
        conftest=conftest,
    )
    result, found, findings = check(run_fixlint, tmp_path)
    assert found == {MISMATCH}, result.output
    assert (findings[0]["line"], findings[0]["column"]) == (4, 1)
    assert result.exit_code == 1

    result, left = fix(run_fixlint, tmp_path)
    assert left == set(), result.output
    assert_mismatch_fixed(tmp_path, result, left, conftest)
    assert (tmp_path / "tests/conftest.py").read_bytes().startswith(b"\xef\xbb\xbf")
    assert result.exit_code == 0


# -- 5. CRLF and mixed line endings -----------------------------------------------------------


def _mixed_endings(text: str) -> bytes:
    lines = text.encode().split(b"\n")
    return b"".join(line + (b"\r\n" if index % 2 else b"\n") for index, line in enumerate(lines[:-1])) + lines[-1]


@pytest.mark.parametrize(
    "endings",
    [
        pytest.param(lambda text: text.encode().replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(_mixed_endings, id="mixed"),
    ],
)
def test_line_endings_are_kept_exactly(tmp_path: Path, run_fixlint, endings) -> None:
    conftest = endings(CONFTEST)
    test_file = endings(TEST_APP.replace("test_app", "test_endings") + "\n\ndef test_more(db):\n    pass\n")
    make_tree(tmp_path, {"tests/test_endings.py": test_file}, conftest=conftest)
    assert b"\r\n" in conftest
    result, found, findings = check(run_fixlint, tmp_path)
    assert found == {MISMATCH}, result.output
    assert (findings[0]["line"], findings[0]["column"]) == (4, 1)
    assert result.exit_code == 1

    result, left = fix(run_fixlint, tmp_path)
    assert left == set(), result.output
    assert_mismatch_fixed(tmp_path, result, left, conftest)
    after = (tmp_path / "tests/conftest.py").read_bytes()
    assert [line[-2:] for line in after.splitlines(keepends=True)] == [
        line[-2:] for line in conftest.splitlines(keepends=True)
    ]
    assert (tmp_path / "tests/test_endings.py").read_bytes() == test_file
    assert result.exit_code == 0


# -- 6. a NUL byte ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(b"def test_nul():\n    x = 1\0\n", id="in-code"),
        # CPython refuses every NUL in a source file, inside a literal too; pytest cannot import it
        pytest.param(b'def test_nul():\n    assert "a\0b"\n', id="in-a-string-literal"),
    ],
)
def test_a_nul_byte_is_a_finding(tmp_path: Path, run_fixlint, source: bytes) -> None:
    with pytest.raises((SyntaxError, ValueError)):
        compile(source, "test_nul.py", "exec")  # the premise: Python rejects the file
    make_tree(tmp_path, {"tests/test_nul.py": source})
    result, found, findings = check(run_fixlint, tmp_path)
    assert found == {MISMATCH, ("syntax-error", "tests/test_nul.py")}, result.output
    (finding,) = [f for f in findings if f["rule"] == "syntax-error"]
    before = source[: source.index(b"\0")]
    nul_at = (before.count(b"\n") + 1, len(before) - before.rfind(b"\n"))  # line, 1-based column
    assert finding["message"] == "source code cannot contain null bytes"
    assert (finding["line"], finding["column"]) == nul_at
    assert result.exit_code == 1

    result, left = fix(run_fixlint, tmp_path)
    assert ("syntax-error", "tests/test_nul.py") in left, result.output
    assert_mismatch_fixed(tmp_path, result, left)
    assert result.exit_code == 1
    assert (tmp_path / "tests/test_nul.py").read_bytes() == source


# -- 7. empty files ---------------------------------------------------------------------------


def test_an_empty_test_file_and_an_empty_conftest_are_no_finding(tmp_path: Path, run_fixlint) -> None:
    make_tree(
        tmp_path,
        {
            "tests/test_empty.py": b"",
            "tests/sub/conftest.py": b"",
            "tests/sub/test_sub.py": b"def test_sub(app):\n    pass\n",
        },
    )
    result, found, findings = check(run_fixlint, tmp_path)
    assert found == {MISMATCH}, result.output
    assert findings[0]["data"]["tests"] == ["tests/sub/test_sub.py::test_sub", "tests/test_app.py::test_app"]
    assert result.exit_code == 1

    result, left = fix(run_fixlint, tmp_path)
    assert left == set(), result.output
    assert_mismatch_fixed(tmp_path, result, left)
    assert result.exit_code == 0
    assert (tmp_path / "tests/test_empty.py").read_bytes() == b""
    assert (tmp_path / "tests/sub/conftest.py").read_bytes() == b""


# -- 8. a 10 MB test file ---------------------------------------------------------------------


def test_a_10_mb_test_file_is_processed(tmp_path: Path, run_fixlint) -> None:
    chunks, size, count = [], 0, 0
    while size < 10 * 1024 * 1024:
        chunk = f"def test_{count}():\n    assert {count}\n\n\n"
        chunks.append(chunk)
        size += len(chunk)
        count += 1
    big = "".join(chunks).encode()
    make_tree(tmp_path, {"tests/test_big.py": big})
    started = time.monotonic()
    result, found, _ = check(run_fixlint, tmp_path)
    elapsed = time.monotonic() - started
    assert found == {MISMATCH}, result.output
    assert result.exit_code == 1

    result, left = fix(run_fixlint, tmp_path)
    assert left == set(), result.output
    assert_mismatch_fixed(tmp_path, result, left)
    assert result.exit_code == 0
    assert (tmp_path / "tests/test_big.py").read_bytes() == big
    print(f"fixlint check on {len(big)} bytes, {count} tests: {elapsed:.1f} s")


# -- 9. a symlink loop and a dangling symlink -------------------------------------------------


def test_a_symlink_loop_and_a_dangling_symlink_are_io_errors(tmp_path: Path, run_fixlint) -> None:
    make_tree(tmp_path)
    (tmp_path / "tests/loop").mkdir()
    (tmp_path / "tests/loop/again").symlink_to(tmp_path / "tests", target_is_directory=True)
    (tmp_path / "tests/test_gone.py").symlink_to(tmp_path / "nowhere.py")
    result, found, _ = check(run_fixlint, tmp_path)
    assert found == {MISMATCH, ("io-error", "tests/loop/again"), ("io-error", "tests/test_gone.py")}, result.output
    assert result.exit_code == 1

    result, left = fix(run_fixlint, tmp_path)
    assert ("io-error", "tests/loop/again") in left and ("io-error", "tests/test_gone.py") in left, result.output
    assert_mismatch_fixed(tmp_path, result, left)
    assert result.exit_code == 1
    assert os.readlink(tmp_path / "tests/test_gone.py") == str(tmp_path / "nowhere.py")
    assert not (tmp_path / "nowhere.py").exists()
    assert os.readlink(tmp_path / "tests/loop/again") == str(tmp_path / "tests")


def test_two_folders_linked_to_each_other_are_reported_at_the_links(tmp_path: Path, run_fixlint) -> None:
    """A loop among folders: `a/to_b -> ../b` and `b/to_a -> ../a`. The io-error is on a link, not
    on a real folder (which no symlink makes "already visited"), and the tests of both are read."""
    make_tree(
        tmp_path,
        {"tests/a/test_a.py": b"def test_a(app):\n    pass\n", "tests/b/test_b.py": b"def test_b(app):\n    pass\n"},
    )
    (tmp_path / "tests/a/to_b").symlink_to("../b", target_is_directory=True)
    (tmp_path / "tests/b/to_a").symlink_to("../a", target_is_directory=True)
    result, found, findings = check(run_fixlint, tmp_path)
    io_errors = {path for rule, path in found if rule == "io-error"}
    assert io_errors, result.output
    assert all((tmp_path / path).is_symlink() for path in io_errors), (
        f"a real folder reported as a symlink loop: {sorted(io_errors)}"
    )
    (mismatch,) = [f for f in findings if f["rule"] == "fixture-scope-mismatch"]
    tests = mismatch["data"]["tests"]
    assert any(t.endswith("/test_a.py::test_a") for t in tests) and any(
        t.endswith("/test_b.py::test_b") for t in tests
    ), tests
    assert result.exit_code == 1

    result, left = fix(run_fixlint, tmp_path)
    assert_mismatch_fixed(tmp_path, result, left)
    assert result.exit_code == 1


def test_a_symlinked_conftest_is_fixed_through_the_link(tmp_path: Path, run_fixlint) -> None:
    """A conftest shared by a symlink: the fix lands in the file it points to, the link stays."""
    make_tree(tmp_path, {"shared/common_conftest.py": CONFTEST.encode()})
    (tmp_path / "tests/conftest.py").unlink()
    (tmp_path / "tests/conftest.py").symlink_to("../shared/common_conftest.py")
    result, found, _ = check(run_fixlint, tmp_path)
    assert MISMATCH in found and result.exit_code == 1, result.output

    result, left = fix(run_fixlint, tmp_path)
    assert MISMATCH not in left, result.output
    assert (tmp_path / "tests/conftest.py").is_symlink(), "the fix replaced the symlink with a copy"
    assert os.readlink(tmp_path / "tests/conftest.py") == "../shared/common_conftest.py"
    assert (tmp_path / "shared/common_conftest.py").read_bytes() == CONFTEST.encode().replace(SESSION, FUNCTION)


# -- 10. an unreadable file -------------------------------------------------------------------


def _can_read(path: Path) -> bool:
    try:
        path.read_bytes()
    except OSError:
        return False
    return True


def test_a_file_with_the_longest_name_is_fixed(tmp_path: Path, run_fixlint) -> None:
    """The temporary file of the atomic write must fit a 255-byte name too."""
    name = f"tests/test_{'x' * 243}.py"
    module = (CONFTEST + "\n\n" + TEST_APP.replace("test_app", "test_long")).encode()
    make_tree(tmp_path, {name: module})
    result, left = fix(run_fixlint, tmp_path)
    assert not left and "not written" not in result.output, result.output
    assert (tmp_path / name).read_bytes() == module.replace(SESSION, FUNCTION)


def test_an_unreadable_file_is_an_io_error(tmp_path: Path, run_fixlint) -> None:
    make_tree(tmp_path, {"tests/test_locked.py": b"def test_locked():\n    pass\n"})
    locked = tmp_path / "tests/test_locked.py"
    locked.chmod(0o000)
    try:
        if _can_read(locked):
            # root reads a chmod 000 file; a file no one reads, root included: /proc/self/mem
            # reads as EIO at offset 0, and is a regular file to stat().
            locked.chmod(0o644)
            locked.unlink()
            mem = Path("/proc/self/mem")
            if not mem.is_file() or _can_read(mem):
                pytest.skip(
                    "running as root, where chmod 000 does not stop reads, and /proc/self/mem is not there to stand in"
                )
            locked.symlink_to(mem)
        assert not _can_read(locked)
        result, found, findings = check(run_fixlint, tmp_path)
        assert found == {MISMATCH, ("io-error", "tests/test_locked.py")}, result.output
        (error,) = [f for f in findings if f["rule"] == "io-error"]
        assert "cannot read" in error["message"]
        assert result.exit_code == 1

        result, left = fix(run_fixlint, tmp_path)
        assert ("io-error", "tests/test_locked.py") in left, result.output
        assert_mismatch_fixed(tmp_path, result, left)
        assert result.exit_code == 1
    finally:
        if not locked.is_symlink() and locked.exists():
            locked.chmod(0o644)
    if locked.is_symlink():
        assert os.readlink(locked) == "/proc/self/mem"
    else:
        assert locked.read_bytes() == b"def test_locked():\n    pass\n"


# -- 11. a folder named like a test file ------------------------------------------------------


def test_a_folder_named_test_x_py_is_no_crash(tmp_path: Path, run_fixlint) -> None:
    make_tree(tmp_path, {"tests/test_x.py/test_inner.py": b"def test_inner(app):\n    pass\n"})
    (tmp_path / "tests/test_empty_dir.py").mkdir()
    result, found, findings = check(run_fixlint, tmp_path)
    assert found - {("io-error", "tests/test_x.py"), ("io-error", "tests/test_empty_dir.py")} == {MISMATCH}, (
        result.output
    )
    (mismatch,) = [f for f in findings if f["rule"] == "fixture-scope-mismatch"]
    assert mismatch["data"]["tests"] == ["tests/test_app.py::test_app", "tests/test_x.py/test_inner.py::test_inner"]
    assert result.exit_code == 1

    named = run_fixlint(tmp_path, "check", "--format", "json", "tests/test_empty_dir.py")
    assert "Traceback" not in named.output and named.exit_code in (0, 1), named.output

    result, left = fix(run_fixlint, tmp_path)
    assert_mismatch_fixed(tmp_path, result, left)
    assert result.exit_code in (0, 1)
    assert (tmp_path / "tests/test_x.py").is_dir() and (tmp_path / "tests/test_empty_dir.py").is_dir()


# -- 12. a file that changes on disk between analysis and write -------------------------------


def test_a_file_changed_on_disk_before_the_write_is_left_alone(tmp_path: Path, run_fixlint, monkeypatch) -> None:
    """Another editor saves tests/conftest.py while `fixlint fix` works: fixlint's checked fix of
    it parses (LibCST's parse_module of the fixed bytes), and just then the file changes on disk.
    Only LibCST is hooked, to time the edit; fixlint runs as it is."""
    make_tree(tmp_path)
    conftest = tmp_path / "tests/conftest.py"
    edited = CONFTEST.replace("return 1", "return 2  # saved by another editor").encode()
    real_parse = libcst.parse_module

    def parse_then_someone_saves(source, *args, **kwargs):
        module = real_parse(source, *args, **kwargs)
        if isinstance(source, bytes) and FUNCTION in source and conftest.read_bytes() != edited:
            conftest.write_bytes(edited)
        return module

    monkeypatch.setattr(libcst, "parse_module", parse_then_someone_saves)
    result, left = fix(run_fixlint, tmp_path)
    assert conftest.read_bytes() == edited  # the other editor's save wins; nothing of fixlint's is written
    assert "changed on disk while fixlint worked on it; not written" in result.stderr
    assert "tests/conftest.py" in result.stderr or str(conftest) in result.stderr
    assert result.exit_code in (0, 1)
    monkeypatch.undo()
    result, found, _ = check(run_fixlint, tmp_path)
    assert found == {MISMATCH} and result.exit_code == 1  # the mismatch is still there to fix


# -- 13. a pyproject.toml that is not TOML ----------------------------------------------------

BROKEN_PYPROJECT = b"[tool.pytest.ini_options\nusefixtures = ['db']\n"
BROKEN_FIXLINT_SETTINGS = b"[tool.fixlint]\nignore = ['fixture-scope'\n"


def test_a_broken_pyproject_is_a_pytest_config_finding(tmp_path: Path, run_fixlint) -> None:
    """pytest would reject it: reported as pytest-config, and everything else is still checked."""
    make_tree(tmp_path, {"pyproject.toml": BROKEN_PYPROJECT}, ini=False)
    result, found, _ = check(run_fixlint, tmp_path)
    assert found == {MISMATCH, ("pytest-config", "pyproject.toml")}, result.output
    assert result.exit_code == 1

    result, left = fix(run_fixlint, tmp_path)
    assert ("pytest-config", "pyproject.toml") in left, result.output
    assert "not valid TOML" in result.stdout
    assert_mismatch_fixed(tmp_path, result, left)
    assert result.exit_code == 1
    assert (tmp_path / "pyproject.toml").read_bytes() == BROKEN_PYPROJECT


@pytest.mark.parametrize("ini", [True, False], ids=["beside pytest.ini", "alone"])
def test_broken_fixlint_settings_stop_the_run(tmp_path: Path, run_fixlint, ini: bool) -> None:
    """The file holds fixlint's own settings (here an `ignore`), which cannot be read: fixlint
    must not check, let alone fix, with the defaults instead; it exits 2 naming the file."""
    make_tree(tmp_path, {"pyproject.toml": BROKEN_FIXLINT_SETTINGS}, ini=ini)
    for command in ("check", "fix"):
        result = run_fixlint(tmp_path, command)
        assert "Traceback" not in result.output
        assert result.exit_code == 2, result.output
        assert "pyproject.toml" in result.stderr and "not valid TOML" in result.stderr
    assert (tmp_path / "tests/conftest.py").read_bytes() == CONFTEST.encode()
    assert (tmp_path / "pyproject.toml").read_bytes() == BROKEN_FIXLINT_SETTINGS


def test_a_config_file_named_on_the_command_line_that_is_not_toml_exits_2(tmp_path: Path, run_fixlint) -> None:
    make_tree(tmp_path, {"fixlint.toml": b"select = [\n"})
    for command in ("check", "fix"):
        result = run_fixlint(tmp_path, command, "--config", "fixlint.toml")
        assert "Traceback" not in result.output
        assert result.exit_code == 2, result.output
        assert "fixlint.toml" in result.stderr and "not valid TOML" in result.stderr
    assert (tmp_path / "tests/conftest.py").read_bytes() == CONFTEST.encode()


# -- 14. an unknown rule on the command line --------------------------------------------------


@pytest.mark.parametrize("option", ["--rule", "--ignore"])
def test_an_unknown_rule_on_the_command_line_exits_2(tmp_path: Path, run_fixlint, option: str) -> None:
    make_tree(tmp_path)
    for command in ("check", "fix"):
        result = run_fixlint(tmp_path, command, option, "fixture-scope,no-such-rule")
        assert "Traceback" not in result.output
        assert result.exit_code == 2, result.output
        assert "unknown rule or family `no-such-rule`" in result.stderr
        assert result.stdout == ""
    assert (tmp_path / "tests/conftest.py").read_bytes() == CONFTEST.encode()


# -- 15. a module nested too deeply -----------------------------------------------------------------

DEPTH = 10_000


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(b"x = " + b"(" * DEPTH + b"1" + b")" * DEPTH + b"\n", id="parentheses"),
        pytest.param(b"x = " + b"[" * DEPTH + b"1" + b"]" * DEPTH + b"\n", id="brackets"),
        pytest.param(b"x = " + b"{'k': " * DEPTH + b"1" + b"}" * DEPTH + b"\n", id="dicts"),
        pytest.param(b"x = " + b"-" * DEPTH + b"1\n", id="unary-minus"),
        pytest.param(b"x = " + b"not " * DEPTH + b"1\n", id="not"),
    ],
)
def test_a_module_nested_too_deeply_is_a_finding(tmp_path: Path, run_fixlint, source: bytes) -> None:
    """CPython refuses it, with a message of its own or a RecursionError: a syntax-error finding,
    no traceback, and the other files checked and fixed."""
    try:
        compile(source, "test_deep.py", "exec", dont_inherit=True)
    except SyntaxError as error:
        expected = (error.msg, error.lineno, error.offset)
    except (RecursionError, MemoryError):
        expected = ("nested too deeply for this Python to compile", 1, 1)
    else:
        pytest.fail("the premise: CPython refuses a module nested this deeply")
    make_tree(tmp_path, {"tests/test_deep.py": source + TEST_APP.replace("test_app", "test_deep").encode()})
    result, found, findings = check(run_fixlint, tmp_path, "--rule", "syntax-error,fixture-scope-mismatch")
    assert found == {MISMATCH, ("syntax-error", "tests/test_deep.py")}, result.output
    (finding,) = [f for f in findings if f["rule"] == "syntax-error"]
    assert (finding["message"], finding["line"], finding["column"]) == expected
    assert result.exit_code == 1

    result, left = fix(run_fixlint, tmp_path)
    assert ("syntax-error", "tests/test_deep.py") in left, result.output
    assert_mismatch_fixed(tmp_path, result, left)
    assert (tmp_path / "tests/test_deep.py").read_bytes() == source + TEST_APP.replace("test_app", "test_deep").encode()


def test_a_module_python_compiles_but_too_deep_for_fixlint_is_no_crash(tmp_path: Path, run_fixlint) -> None:
    """A sum of 1,500 terms: CPython compiles it (pytest imports it), but its tree is deeper than
    fixlint's traversal goes. fixlint may read it, or report it as a syntax error that says so;
    it must not stop, and the other files are checked."""
    source = b"TOTAL = " + b" + ".join([b"1"] * 1500) + b"\n\n\n" + TEST_APP.replace("test_app", "test_deep").encode()
    compile(source, "test_deep.py", "exec", dont_inherit=True)  # the premise
    make_tree(tmp_path, {"tests/test_deep.py": source})
    result, found, findings = check(run_fixlint, tmp_path, "--rule", "syntax-error,fixture-scope-mismatch")
    assert found - {("syntax-error", "tests/test_deep.py")} == {MISMATCH}, result.output
    for finding in findings:
        if finding["rule"] == "syntax-error":
            assert finding["message"].startswith("nested too deeply for fixlint to read"), finding
    assert result.exit_code == 1


# -- 16. a module that Python's tokenize reads otherwise than the compiler ---------------------------

ODD_NAMES_CONFTEST = CONFTEST.replace(
    "import pytest\n",
    # Identifiers of Unicode's Other_ID_Start and Other_ID_Continue: the compiler takes them, the
    # tokenize module before Python 3.12 reads each such character as an ERRORTOKEN.
    "import pytest\n\n\u2118 = 1\nMIDDLE\u00b7DOT = \u2118\n",
).replace(
    "\n\n@pytest.fixture\ndef db():",
    '\n\n@pytest.fixture(scope="session")  # fixlint: ignore[fixture-scope-mismatch]\n'
    "def quiet(db):\n    return MIDDLE\u00b7DOT\n\n\n@pytest.fixture\ndef db():",
)


def test_names_tokenize_does_not_know_are_read_and_the_comments_after_them_too(tmp_path: Path, run_fixlint) -> None:
    """Comments come from tokenize: the suppression after the odd names still holds, and the file's
    finding is reported and fixed."""
    conftest = ODD_NAMES_CONFTEST.encode()
    compile(conftest, "conftest.py", "exec", dont_inherit=True)  # the premise: Python reads it
    make_tree(tmp_path, {"tests/test_quiet.py": b"def test_quiet(quiet):\n    assert quiet\n"}, conftest=conftest)
    result, found, findings = check(run_fixlint, tmp_path)
    assert found == {MISMATCH}, result.output
    assert [(f["data"]["requester"], f["line"]) for f in findings] == [("app", 7)]
    assert result.exit_code == 1

    result, left = fix(run_fixlint, tmp_path)
    assert left == set(), result.output
    assert (tmp_path / "tests/conftest.py").read_bytes() == conftest.replace(SESSION, FUNCTION, 1)
    assert result.exit_code == 0
