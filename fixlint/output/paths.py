from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def display_path(path: str, cwd: Path) -> str:
    """Relative to cwd (``../`` for a file beside it), with forward slashes; absolute only where
    no relative path exists (another drive)."""
    try:
        return Path(os.path.relpath(path, cwd)).as_posix()
    except ValueError:
        return Path(path).as_posix()


def display_data(data: dict[str, Any], cwd: Path) -> dict[str, Any]:
    """A finding's data with its file paths (the keys ``path`` and ``*_path``) shown as ``path`` is."""
    return {
        key: display_path(value, cwd) if (key == "path" or key.endswith("_path")) and isinstance(value, str) else value
        for key, value in data.items()
    }
