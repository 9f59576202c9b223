"""fixlint's cache, in one folder at the project root. Entries are JSON (never pickle: a cache
folder may come from anywhere), carry their own key, and are checked on load; a corrupt, foreign
or stale entry is ignored and rewritten.

- Per-file facts, by content hash: a run parses nothing that did not change.
- The fixture analysis of each test module, by all it rests on: after an edit that changes
  what a file says, the other modules' analysis is read back.
- Whole runs of ``check``: the findings, with every question the run asked the filesystem and
  its answer (``fixlint.fs``). When every answer still holds, the findings are those of the run.

A dataclass is stored as the list of its field values, in field order, and read back by the
field types: no field names to parse and no value to inspect whose type the schema already says."""

from __future__ import annotations

import collections.abc
import dataclasses
import functools
import hashlib
import json
import sys
import os
import shutil
import tempfile
import typing
from pathlib import Path
from typing import Any, Callable, Optional, Union

from fixlint import __version__, facts, fs
from fixlint.findings import Applicability, Edit, Finding, Fix

CACHE_DIR_NAME = ".fixlint_cache"
# Every dataclass of the facts, by name: the only types an entry can make.
FACT_TYPES = {
    name: value for name, value in vars(facts).items() if dataclasses.is_dataclass(value) and isinstance(value, type)
}
# The facts' shape and this encoding of it: a change to either makes old entries stale without a
# version bump.
SCHEMA = hashlib.blake2b(
    repr(("positional", sorted((name, [(f.name, str(f.type)) for f in dataclasses.fields(cls)]) for name, cls in FACT_TYPES.items()))).encode(),
    digest_size=8,
).hexdigest()
# Turns the JSON form of a value into the value; None where the JSON form is the value itself.
Decoder = Optional[Callable[[Any], Any]]

@functools.lru_cache(maxsize=None)
def code_digest() -> str:
    """This code's, so that an edited install (a development checkout) trusts no entry of
    another. Read when a cache is opened, not by every command."""
    sources = sorted(Path(__file__).parent.rglob("*.py"))
    return hashlib.blake2b(b"".join(path.read_bytes() for path in sources), digest_size=8).hexdigest()


def content_key(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class FactsCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory / f"facts-{__version__}-{SCHEMA}-{code_digest()}"

    def _entry(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> Optional[tuple[facts.FileFacts, str]]:
        """A file's facts and their digest (``facts_digest``)."""
        try:
            entry = json.loads(self._entry(key).read_text(encoding="utf-8"))
            if entry["key"] != key or entry["version"] != __version__ or entry["schema"] != SCHEMA:
                return None
            digest = entry["digest"]
            if type(digest) is not str:
                return None
            return facts_from_plain(entry["facts"]), digest
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
            return None  # missing, corrupt or foreign: recomputed and rewritten

    def put(self, key: str, text: str, digest: str) -> None:
        """Keep a file's facts, given as the JSON text of their plain form (``facts_text``)."""
        head = json.dumps({"key": key, "version": __version__, "schema": SCHEMA, "digest": digest}, separators=(",", ":"))
        _write_text(self._entry(key), f'{head[:-1]},"facts":{text}}}')


class ViewsCache:
    """The fixture analysis of each test module, by a key naming all it rests on
    (``fixlint.pytest_model.stored_views``): after an edit, only what it can change is analysed."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory / f"views-{__version__}-{code_digest()}"

    def _entry(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> Optional[Any]:
        try:
            entry = json.loads(self._entry(key).read_text(encoding="utf-8"))
            return entry["views"] if entry["key"] == key else None
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or corrupt: analysed again and rewritten

    def put(self, key: str, views: Any) -> None:
        _write_text(self._entry(key), json.dumps({"key": key, "views": views}, separators=(",", ":")))


class RunCache:
    """The findings of whole ``check`` runs, by what the run was asked: the newest few are kept."""

    KEPT = 16  # entries; pre-commit asks about other files on every commit

    def __init__(self, directory: Path) -> None:
        self.directory = directory / f"runs-{__version__}-{code_digest()}"

    @staticmethod
    def key(question: object) -> str:
        return content_key(repr((sys.version_info[:2], question)).encode())

    def get(self, key: str, digest_of_facts: Callable[[Path, bytes], str]) -> Optional[list[Finding]]:
        """The findings, when the entry is whole and every answer its run got still holds (a
        file read for its facts holds while its facts do: see ``fs.still_holds``)."""
        target = self.directory / f"{key}.json"
        try:
            entry = json.loads(target.read_text(encoding="utf-8"))
            if entry["key"] != key:
                return None
            holds, today = fs.still_holds(entry["questions"], digest_of_facts)
            if not holds:
                return None
            findings = [_decode_finding(finding) for finding in entry["findings"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
            return None
        if today != entry["questions"]:  # the next run need not read the edited files' facts again
            entry["questions"] = today
            _write_text(target, json.dumps(entry, separators=(",", ":")))
        return findings

    def put(self, key: str, questions: fs.Journal, findings: list[Finding]) -> None:
        entry = {
            "key": key,
            "questions": [[kind, path, answer] for (kind, path), answer in questions.items()],
            "findings": [_encode_finding(finding) for finding in findings],
        }
        if _write_text(self.directory / f"{key}.json", json.dumps(entry, separators=(",", ":"))):
            self._prune()

    def _prune(self) -> None:
        try:
            entries = sorted(self.directory.glob("*.json"), key=lambda path: path.stat().st_mtime, reverse=True)
            for stale in entries[self.KEPT :]:
                stale.unlink()
        except OSError:
            pass  # a cache that cannot be written only costs time


def _write_text(target: Path, text: str) -> bool:
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


def _encode_finding(finding: Finding) -> list:
    fix = None
    if finding.fix is not None:
        # Edits are kept when the run computed them (the formats that show them do).
        edits = None if not finding.fix.edits_known else [dataclasses.astuple(edit) for edit in finding.fix.edits]
        fix = [finding.fix.applicability.value, edits]
    return [
        finding.rule, finding.path, finding.line, finding.column, finding.end_line, finding.end_column,
        finding.message, finding.severity, fix, finding.data, list(finding.concerns), list(finding.suppressible_at),
    ]


def _decode_finding(value: list) -> Finding:
    rule, path, line, column, end_line, end_column, message, severity, fix, data, concerns, suppressible_at = value
    if fix is not None:
        applicability, edits = fix
        fix = Fix(Applicability(applicability), _edits_not_kept if edits is None else tuple(Edit(*edit) for edit in edits))
    return Finding(
        rule, path, line, column, end_line, end_column, message, severity, fix, data, tuple(concerns), tuple(suppressible_at)
    )


def _edits_not_kept() -> tuple[Edit, ...]:
    raise LookupError("the run cache keeps the edits only of runs that show them")


def clean(directory: Path) -> bool:
    """Remove a cache folder; True when there was one."""
    ours = (directory / "CACHEDIR.TAG").is_file() or any(any(directory.glob(f"{kind}-*")) for kind in ("facts", "views", "runs"))
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
            marker.write_text("Signature: 8a477f597d28d172789f06886806bc55\n# fixlint's cache: `fixlint clean` removes it.\n")
        ignore = directory / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n")
    except OSError:
        pass


def facts_text(value: facts.FileFacts) -> str:
    """A file's facts as the JSON text of their plain form: what the cache stores and a worker
    process sends. Its digest stands for the facts (``facts_digest``)."""
    return json.dumps(_to_plain(value), separators=(",", ":"))


def facts_digest(text: str) -> str:
    return content_key(text.encode())


def _to_plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return [_to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)]
    if isinstance(value, (list, tuple)):
        return [_to_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _to_plain(item) for key, item in value.items()}
    return value


def _decoder(hint: Any) -> Decoder:
    if hint is str:
        return sys.intern  # the same names recur across thousands of files: one object each
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass_decoder(hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Union:
        members = [arg for arg in args if arg is not type(None)]
        by_kind = {typing.get_origin(arg) or arg: decoder for arg in members if (decoder := _decoder(arg)) is not None}
        if not by_kind:
            return None
        if len(by_kind) > 1:
            raise TypeError(f"{hint}: a union of several decoded types")
        ((kind, decode),) = by_kind.items()
        if len(members) > 1:  # ``Union[bool, list[str]]``: only values of the decoded kind
            return lambda value: decode(value) if isinstance(value, kind) else value
        return lambda value: None if value is None else decode(value)
    if origin is collections.abc.Sequence:  # a list in JSON, kept as a tuple (see ``fixlint.facts``)
        item = _decoder(args[0])
        return tuple if item is None else lambda value: tuple([item(element) for element in value])
    if origin is list:
        item = _decoder(args[0])
        return None if item is None else lambda value: [item(element) for element in value]
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            return tuple if item is None else lambda value: tuple(map(item, value))
        items = [_decoder(arg) for arg in args]
        if not any(items):
            return tuple
        return lambda value: tuple(element if decode is None else decode(element) for decode, element in zip(items, value))
    if origin is dict:
        item = _decoder(args[1])
        return None if item is None else lambda value: {key: item(element) for key, element in value.items()}
    return None


def _dataclass_decoder(cls: type) -> Callable[[list], Any]:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    decoded = [(index, decoder) for index, decoder in enumerate(_decoder(hints[name]) for name in names) if decoder is not None]

    def decode(value: list) -> Any:
        if type(value) is not list or len(value) != len(names):
            raise ValueError(f"{cls.__name__}: expected the list of its {len(names)} fields")
        for index, decoder in decoded:
            value[index] = decoder(value[index])  # a list just parsed: ours to change
        # Through ``__init__``: its instances keep their attributes inline, far smaller than a dict.
        return cls(*value)

    return decode


facts_from_plain: Callable[[list], facts.FileFacts] = _dataclass_decoder(facts.FileFacts)
"""The facts a plain form stands for, as the file pass keeps them. It takes the list over."""
