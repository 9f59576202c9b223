from __future__ import annotations

from pathlib import Path


def display_path(path: str, cwd: Path) -> str:
    """Relative to cwd where the file is below it, else absolute; always with forward slashes."""
    try:
        return Path(path).relative_to(cwd).as_posix()
    except ValueError:
        return Path(path).as_posix()
