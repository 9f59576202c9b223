"""Paths as fixlint shows them to its user: relative to the working folder."""

from __future__ import annotations

import os
from pathlib import Path


def display_path(path: str, cwd: Path) -> str:
    """Relative to cwd (``../`` for a file beside it), with forward slashes; absolute only where
    no relative path exists (another drive)."""
    try:
        return Path(os.path.relpath(path, cwd)).as_posix()
    except ValueError:
        return Path(path).as_posix()
