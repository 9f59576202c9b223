"""``fix --diff``: a unified diff of a file before and after the fixes."""

from __future__ import annotations

import difflib
from pathlib import Path

from fixlint.files.source_text import SourceText


def unified_diff(path: Path, before: bytes, after: bytes, cwd: Path) -> str:
    try:
        name = path.relative_to(cwd).as_posix()
    except ValueError:
        name = path.as_posix()
    old = SourceText.decode(before).text.splitlines(keepends=True)
    new = SourceText.decode(after).text.splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, f"a/{name}", f"b/{name}"))
