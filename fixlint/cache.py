"""Per-file facts cached on disk by content hash, so that a second run parses nothing that did
not change. Entries are JSON (never pickle: a cache folder may come from anywhere), carry their
own key, and are checked on load; a corrupt, foreign or stale entry is ignored and rewritten."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Optional

from fixlint import __version__, facts

CACHE_DIR_NAME = ".fixlint_cache"
# Every dataclass of the facts, by name: the only types an entry can make.
FACT_TYPES = {
    name: value for name, value in vars(facts).items() if dataclasses.is_dataclass(value) and isinstance(value, type)
}
# The facts' shape: a change to any field makes old entries stale without a version bump.
SCHEMA = hashlib.blake2b(
    repr(sorted((name, [(f.name, str(f.type)) for f in dataclasses.fields(cls)]) for name, cls in FACT_TYPES.items())).encode(),
    digest_size=8,
).hexdigest()


def content_key(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class FactsCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory / f"facts-{__version__}-{SCHEMA}"

    def _entry(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> Optional[facts.FileFacts]:
        try:
            entry = json.loads(self._entry(key).read_text(encoding="utf-8"))
            if entry["key"] != key or entry["version"] != __version__ or entry["schema"] != SCHEMA:
                return None
            result = _from_plain(entry["facts"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # missing, corrupt or foreign: recomputed and rewritten
        return result if isinstance(result, facts.FileFacts) else None

    def put(self, key: str, value: facts.FileFacts) -> None:
        entry = {"key": key, "version": __version__, "schema": SCHEMA, "facts": _to_plain(value)}
        target = self._entry(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(entry, handle, separators=(",", ":"))
            os.replace(temporary, target)
        except OSError:
            pass  # a cache that cannot be written only costs time


def clean(directory: Path) -> bool:
    """Remove a cache folder; True when there was one."""
    if not (directory / "CACHEDIR.TAG").is_file() and not any(directory.glob("facts-*")):
        return False
    shutil.rmtree(directory)
    return True


def tag(directory: Path) -> None:
    """Mark the folder as a cache, as other tools do, so that backups and `fixlint clean` know it."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        marker = directory / "CACHEDIR.TAG"
        if not marker.exists():
            marker.write_text("Signature: 8a477f597d28d172789f06886806bc55\n# fixlint's cache: `fixlint clean` removes it.\n")
        ignore = directory / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n")
    except OSError:
        pass


def _to_plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {"~": type(value).__name__, **{f.name: _to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, tuple):
        return {"~t": [_to_plain(item) for item in value]}
    if isinstance(value, list):
        return [_to_plain(item) for item in value]
    if isinstance(value, dict):
        return {"~d": [[key, _to_plain(item)] for key, item in value.items()]}
    return value


def _from_plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_from_plain(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "~t" in value:
        return tuple(_from_plain(item) for item in value["~t"])
    if "~d" in value:
        return {key: _from_plain(item) for key, item in value["~d"]}
    cls = FACT_TYPES[value.pop("~")]
    names = {f.name for f in dataclasses.fields(cls)}
    if set(value) != names:
        raise ValueError(f"{cls.__name__}: fields {sorted(set(value) ^ names)}")
    return cls(**{key: _from_plain(item) for key, item in value.items()})

