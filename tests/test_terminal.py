"""What a person at a terminal sees: colour and the progress line, decided by a real
pseudo-terminal (not a flag), and the text formats through the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import CONFTEST, make_tree

ESC = "\x1b["


def on_terminal(root: Path, *args: str, stdout_tty: bool = True, **env: str) -> tuple[int, str, str]:
    """Run fixlint with a pseudo-terminal as its stderr (and its stdout when ``stdout_tty``):
    (exit code, what the terminal shows, what went to the stdout pipe)."""
    master, slave = os.openpty()
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    environ["FIXLINT_PROGRESS_DELAY"] = "600"  # no progress line, unless asked for
    process = subprocess.Popen(
        [sys.executable, "-m", "fixlint", *args],
        cwd=root,
        env={**environ, **env},
        stdin=subprocess.DEVNULL,
        stdout=slave if stdout_tty else subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    shown = b""
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: every holder of the terminal's other end has closed it
            break
        if not data:
            break
        shown += data
    os.close(master)
    piped = process.stdout.read() if process.stdout else b""
    code = process.wait(timeout=300)
    return code, shown.decode(), piped.decode()


def piped(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    # COLUMNS unset: messages wrap at 100 characters where no terminal tells a width.
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    return subprocess.run(
        [sys.executable, "-m", "fixlint", *args],
        cwd=root,
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(
        tmp_path, {"tests/conftest.py": CONFTEST, "tests/test_app.py": "def test_app(app):\n    assert app\n"}
    )


def test_colour_on_a_terminal_and_not_in_a_pipe(tree: Path) -> None:
    code, shown, _ = on_terminal(tree, "check", "--format", "concise")
    assert code == 1
    assert f"{ESC}1mtests/conftest.py{ESC}0m" in shown and f"{ESC}1;31mfixture-scope-mismatch{ESC}0m" in shown
    result = piped(tree, "check", "--format", "concise")
    assert result.returncode == 1 and "tests/conftest.py:4:1: fixture-scope-mismatch" in result.stdout
    assert ESC not in result.stdout


@pytest.mark.parametrize(
    ("on_a_terminal", "args", "env", "coloured"),
    [
        (True, (), {"NO_COLOR": "1"}, False),
        (True, (), {"NO_COLOR": ""}, True),  # empty: not set, as no-color.org says
        (False, (), {"FORCE_COLOR": "1"}, True),
        (False, (), {"FORCE_COLOR": "0"}, True),  # any value forces it, as ruff reads it
        (False, (), {"FORCE_COLOR": ""}, False),
        (True, (), {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),  # NO_COLOR wins, as in ruff
        (False, ("--color", "always"), {"NO_COLOR": "1"}, True),  # the flag wins over both
        (True, ("--color", "never"), {"FORCE_COLOR": "1"}, False),
    ],
)
def test_no_color_force_color_and_the_flag(
    tree: Path, on_a_terminal: bool, args: tuple[str, ...], env: dict[str, str], coloured: bool
) -> None:
    if on_a_terminal:
        code, text, _ = on_terminal(tree, "check", *args, **env)
    else:
        result = piped(tree, "check", *args, **env)
        code, text = result.returncode, result.stdout
    assert code == 1 and "fixture-scope-mismatch" in text
    assert (ESC in text) is coloured


def test_the_code_frame_through_the_cli(tree: Path) -> None:
    result = piped(tree, "check")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "fixture-scope-mismatch [*] `app` (session scope) requests `db` (function scope, defined at",
        "  tests/conftest.py:9): ScopeMismatch in tests/test_app.py::test_app",
        " --> tests/conftest.py:4:1",
        "  |",
        '4 | @pytest.fixture(scope="session")',
        "  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
        "5 | def app(db):",
        "6 |     return db",
        "  |",
        "",
        "Found 1 error.",
        "[*] 1 fixable with `fixlint fix`.",
    ]


def test_progress_through_every_phase_on_a_terminal_only(tree: Path) -> None:
    code, shown, out = on_terminal(tree, "fix", "--no-cache", stdout_tty=False, FIXLINT_PROGRESS_DELAY="0")
    assert code == 0, shown + out
    for phase in (
        "fixlint: reading files: 2/2",
        "fixlint: project pass: test modules analysed: 0/1",  # inside the first rule that asks for it
        "fixlint: project pass (fixture-scope-mismatch): ",
        "fixlint: fix round 1: reading files: 2/2",
        "fixlint: fix round 1: project pass (fixture-scope-mismatch): ",
    ):
        assert f"\r{ESC}K{phase}" in shown, (phase, shown)
    assert shown.endswith(f"\r{ESC}K")  # cleared before the results
    assert out.splitlines() == ["Found 1 error (1 fixed, 0 remaining)."]
    make_tree(tree, {"tests/conftest.py": CONFTEST})
    result = piped(tree, "fix", "--no-cache", FIXLINT_PROGRESS_DELAY="0")
    assert result.returncode == 0 and result.stderr == ""


def test_concise_is_one_line_a_finding(tree: Path) -> None:
    result = piped(tree, "check", "--output-format", "concise", "tests")  # ruff's name for --format
    assert result.stdout.splitlines() == [
        "tests/conftest.py:4:1: fixture-scope-mismatch [*] `app` (session scope) requests `db` (function scope, "
        "defined at tests/conftest.py:9): ScopeMismatch in tests/test_app.py::test_app",
        "Found 1 error.",
        "[*] 1 fixable with `fixlint fix`.",
    ]


def test_show_fixes_shows_each_fix_and_then_what_was_fixed(tree: Path) -> None:
    checked = piped(tree, "check", "--show-fixes")
    assert (
        "\n".join(
            [
                "help: safe fix",
                "--- a/tests/conftest.py",
                "+++ b/tests/conftest.py",
                "@@ -3,3 +3,3 @@",
                " ",
                '-@pytest.fixture(scope="session")',
                '+@pytest.fixture(scope="function")',
                " def app(db):",
            ]
        )
        in checked.stdout
    )
    fixed = piped(tree, "fix", "--show-fixes")
    assert fixed.returncode == 0
    assert fixed.stdout.splitlines() == [
        "Fixed 1 finding:",
        "- tests/conftest.py:",
        "    1 × fixture-scope-mismatch",
        "",
        "Found 1 error (1 fixed, 0 remaining).",
    ]


def test_paths_in_messages_are_relative_to_the_working_folder(tree: Path) -> None:
    """From a folder below the rootdir, the location and the path in the message are both from
    the working folder; the test id stays as pytest prints it, from the rootdir."""
    result = piped(tree / "tests", "check", "--format", "concise", ".")
    assert result.stdout.splitlines()[0] == (
        "conftest.py:4:1: fixture-scope-mismatch [*] `app` (session scope) requests `db` (function scope, "
        "defined at conftest.py:9): ScopeMismatch in tests/test_app.py::test_app"
    )
    beside = piped(tree / "tests", "check", "--format", "concise", "--no-cache", "../tests")
    assert "defined at conftest.py:9" in beside.stdout.splitlines()[0]


def test_a_syntax_error_after_wide_characters_in_a_crlf_file(tmp_path: Path) -> None:
    """CPython gives the column of an error in bytes source in UTF-8 bytes (19 here): fixlint
    gives it in characters, and the caret stands under the `(` a terminal shows."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_bad.py").write_bytes('s = "日本"; x = (1,\r\ny = 2\r\n'.encode())
    result = piped(tmp_path, "check", "--no-cache", ".")
    assert result.stdout.splitlines()[:7] == [
        "syntax-error '(' was never closed",
        " --> test_bad.py:1:15",
        "  |",
        '1 | s = "日本"; x = (1,',
        "  |                 ^",
        "2 | y = 2",
        "  |",
    ]
