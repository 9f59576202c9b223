"""fixlint's cache folder at the project root, and what every kind of entry in it shares.
Entries are JSON (never pickle: a cache folder may come from anywhere), carry their own key,
and are checked on load; a corrupt, foreign or stale entry is ignored and rewritten.

- Per-file facts, by content hash (``fixlint.facts.store``): a run parses nothing that did not change.
- The fixture analysis of each test module, by all it rests on (``fixlint.pytest_model.stored_views``).
- Whole runs of ``check`` (``fixlint.engine.run_cache``): the findings, with every question the
  run asked the filesystem and its answer (``fixlint.files.fs``)."""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

CACHE_DIR_NAME = ".fixlint_cache"
PACKAGE = Path(__file__).resolve().parent.parent


@functools.cache
def code_digest() -> str:
    """This code's, so that an edited install (a development checkout) trusts no entry of
    another. Read when a cache is opened, not by every command."""
    sources = sorted(PACKAGE.rglob("*.py"))
    return hashlib.blake2b(b"".join(path.read_bytes() for path in sources), digest_size=8).hexdigest()


def content_key(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def write_entry(target: Path, text: str) -> bool:
    """Write an entry whole or not at all; False when it could not be written."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, target)
    except OSError:
        return False  # a cache that cannot be written only costs time
    return True


def clean(directory: Path) -> bool:
    """Remove a cache folder; True when there was one."""
    ours = (directory / "CACHEDIR.TAG").is_file() or any(
        any(directory.glob(f"{kind}-*")) for kind in ("facts", "views", "runs")
    )
    if not ours:
        return False
    shutil.rmtree(directory)
    return True


def tag(directory: Path) -> None:
    """Mark the folder as a cache, as other tools do, so that backups and `fixlint clean` know it."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        marker = directory / "CACHEDIR.TAG"
        if not marker.exists():
            marker.write_text(
                "Signature: 8a477f597d28d172789f06886806bc55\n# fixlint's cache: `fixlint clean` removes it.\n"
            )
        ignore = directory / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n")
    except OSError:
        pass
