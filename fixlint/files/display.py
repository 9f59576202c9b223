"""Paths as fixlint shows them to its user: relative to the working folder."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Union


def display_path(path: str, cwd: Path) -> str:
    """Relative to cwd (``../`` for a file beside it), with forward slashes; absolute only where
    no relative path exists (another drive)."""
    try:
        return Path(os.path.relpath(path, cwd)).as_posix()
    except ValueError:
        return Path(path).as_posix()


# A path inside a finding's message is written absolute between these marks by the rule, and
# shown relative to the working folder by the engine, as the finding's own path is.
PATH_OPEN, PATH_CLOSE = "\ue000", "\ue001"
MESSAGE_PATH_RE = re.compile(f"{PATH_OPEN}([^{PATH_CLOSE}]*){PATH_CLOSE}")


def message_path(path: Union[str, Path]) -> str:
    """``path`` marked for a message (see ``shown_in_message``)."""
    return f"{PATH_OPEN}{Path(path).as_posix()}{PATH_CLOSE}"


def shown_in_message(message: str, cwd: Path) -> str:
    """The message with each path marked by ``message_path`` relative to ``cwd``."""
    return (
        MESSAGE_PATH_RE.sub(lambda match: display_path(match.group(1), cwd), message)
        if PATH_OPEN in message
        else message
    )
