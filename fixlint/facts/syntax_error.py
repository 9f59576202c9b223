"""A module this Python cannot compile: CPython's own message and position, and, where the
line shows it, the Python version whose syntax it is (pytest on this interpreter could not
import the module either)."""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
import warnings
from typing import Optional

from fixlint.facts.model import SyntaxErrorFact

# Syntax of later Pythons, recognised on the line of the error: (version, what, pattern).
NEWER_SYNTAX = (
    ((3, 10), "a `match` statement", re.compile(r"^\s*match\b[^=]*:\s*(#.*)?$")),
    ((3, 11), "`except*`", re.compile(r"^\s*except\s*\*")),
    ((3, 12), "a `type` alias", re.compile(r"^\s*type\s+[A-Za-z_]\w*\s*(\[.*\])?\s*=")),
    ((3, 12), "a type parameter list", re.compile(r"^\s*(async\s+)?(def|class)\s+[A-Za-z_]\w*\s*\[")),
    ((3, 14), "`except` without parentheses", re.compile(r"^\s*except\s+[^(\s:*][^:]*,[^:]*:")),
    ((3, 14), "a template string", re.compile(r"(?<![\w'\"])[tT][rR]?['\"]")),
    # A line break inside the braces of a one-line f-string: "unterminated string literal" before 3.12.
    (
        (3, 12),
        "a line break in an f-string's expression",
        re.compile(r"(?<![\w'\"])[rR]?[fF][rR]?(['\"])(?!\1\1).*\{[^}]*$"),
    ),
)
# Syntax of later Pythons that CPython's own message names: (version, what, pattern of the message).
NEWER_MESSAGES = (
    (
        (3, 12),
        "a backslash in an f-string's expression",
        re.compile(r"f-string expression part cannot include a backslash$"),
    ),
    ((3, 12), "an f-string's own quote inside its expression", re.compile(r"^(f-string: )+unmatched '[\[(]'$")),
)


def parse_module(path: str, data: bytes) -> tuple[ast.Module, str]:
    """The module's tree and text; raises ``ModuleError`` when this Python cannot compile it."""
    if b"\x00" in data:  # CPython refuses a NUL anywhere, even in a string
        before = data[: data.index(b"\x00")]
        raise ModuleError(
            SyntaxErrorFact(
                "source code cannot contain null bytes",
                before.count(b"\n") + 1,
                len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1,  # characters, not bytes
            )
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes and the like: not ours to report
            module = compile(data, path, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
        assert isinstance(module, ast.Module)  # what "exec" compiles to with ``PyCF_ONLY_AST``
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return module, data.decode(encoding)
    except SyntaxError as error:
        message = error.msg
        needed = newer_syntax(error.text or "", message)
        version = None
        if needed is not None:
            version, what = needed
            message += (
                f" ({what} needs Python {version[0]}.{version[1]}; "
                f"this is Python {sys.version_info[0]}.{sys.version_info[1]})"
            )
        raise ModuleError(
            SyntaxErrorFact(message, error.lineno or 1, _character_offset(path, data, error), version)
        ) from None
    except (ValueError, LookupError) as error:  # UnicodeDecodeError is a ValueError
        raise ModuleError(SyntaxErrorFact(f"cannot decode or parse: {error}", 1, 1)) from None
    except (RecursionError, MemoryError):
        raise ModuleError(SyntaxErrorFact("nested too deeply for this Python to compile", 1, 1)) from None


def _character_offset(path: str, data: bytes, error: SyntaxError) -> int:
    """The error's 1-based column in characters. CPython counts it in UTF-8 bytes when it compiles
    bytes without an encoding declaration (in characters when it compiles text): outside ASCII,
    the text is compiled again for the column it gives there."""
    offset = max(error.offset or 1, 1)
    if data.isascii():
        return offset
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(data.decode(encoding), path, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as again:
        if again.lineno == error.lineno and again.msg == error.msg:
            return max(again.offset or 1, 1)
    except (ValueError, LookupError, RecursionError, MemoryError):
        pass
    return offset


class ModuleError(Exception):
    """Why a module cannot be read, as its ``syntax-error`` finding says."""

    def __init__(self, fact: SyntaxErrorFact) -> None:
        super().__init__(fact.message)
        self.fact = fact


def newer_syntax(line: str, message: str = "") -> Optional[tuple[tuple[int, int], str]]:
    """The version and name of a later Python's syntax that ``line``, or CPython's ``message``
    about it, shows, if any."""
    for version, what, pattern in NEWER_SYNTAX:
        if sys.version_info < version and pattern.search(line):
            return version, what
    for version, what, pattern in NEWER_MESSAGES:
        if sys.version_info < version and pattern.search(message):
            return version, what
    return None
