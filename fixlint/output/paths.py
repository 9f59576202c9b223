"""A finding's data as the output formats show it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fixlint.files.display import display_path


def display_data(data: dict[str, Any], cwd: Path) -> dict[str, Any]:
    """A finding's data with its file paths (the keys ``path`` and ``*_path``) shown as ``path`` is."""
    return {
        key: display_path(value, cwd) if (key == "path" or key.endswith("_path")) and isinstance(value, str) else value
        for key, value in data.items()
    }
