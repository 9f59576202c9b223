"""Per-file facts in the cache, by content hash, and their plain form: a dataclass is stored as
the list of its field values, in field order, and read back by the field types: no field names
to parse and no value to inspect whose type the schema already says."""

from __future__ import annotations

import collections.abc
import dataclasses
import hashlib
import json
import sys
import typing
from pathlib import Path
from typing import Any, Callable, Optional, Union

from fixlint import __version__
from fixlint.facts import model as facts
from fixlint.files.cache_dir import code_digest, content_key, write_entry

# Every dataclass of the facts, by name: the only types an entry can make.
FACT_TYPES = {
    name: value for name, value in vars(facts).items() if dataclasses.is_dataclass(value) and isinstance(value, type)
}
# The facts' shape and this encoding of it: a change to either makes old entries stale without a
# version bump.
SCHEMA = hashlib.blake2b(
    repr(
        (
            "positional",
            sorted(
                (name, [(f.name, str(f.type)) for f in dataclasses.fields(cls)]) for name, cls in FACT_TYPES.items()
            ),
        )
    ).encode(),
    digest_size=8,
).hexdigest()
# Turns the JSON form of a value into the value; None where the JSON form is the value itself.
Decoder = Optional[Callable[[Any], Any]]


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
        head = json.dumps(
            {"key": key, "version": __version__, "schema": SCHEMA, "digest": digest}, separators=(",", ":")
        )
        write_entry(self._entry(key), f'{head[:-1]},"facts":{text}}}')


def facts_text(value: facts.FileFacts) -> str:
    """A file's facts as the JSON text of their plain form: what the cache stores and a worker
    process sends. Its digest stands for the facts (``facts_digest``)."""
    # The encoder walks lists, tuples and dicts itself and asks ``_field_values`` for each dataclass.
    return json.dumps(value, separators=(",", ":"), default=_field_values)


def facts_digest(text: str) -> str:
    return content_key(text.encode())


# The field names of each dataclass of the facts, in field order.
FIELD_NAMES = {cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in FACT_TYPES.values()}


def _field_values(value: Any) -> list:
    """A dataclass's plain form: the list of its field values (the encoder turns each in turn)."""
    names = FIELD_NAMES.get(type(value))
    if names is None:
        raise TypeError(f"{type(value).__name__} is not a dataclass of the facts")
    return [getattr(value, name) for name in names]


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
    # A name of its own in each branch: a lambda keeps the narrowing only of a name assigned once.
    if origin is collections.abc.Sequence:  # a list in JSON, kept as a tuple (see ``fixlint.facts.model``)
        sequence_item = _decoder(args[0])
        return tuple if sequence_item is None else lambda value: tuple([sequence_item(element) for element in value])
    if origin is list:
        list_item = _decoder(args[0])
        return None if list_item is None else lambda value: [list_item(element) for element in value]
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            tuple_item = _decoder(args[0])
            return tuple if tuple_item is None else lambda value: tuple(map(tuple_item, value))
        items = [_decoder(arg) for arg in args]
        if not any(items):
            return tuple
        return lambda value: tuple(
            element if decode is None else decode(element) for decode, element in zip(items, value)
        )
    if origin is dict:
        item = _decoder(args[1])
        return None if item is None else lambda value: {key: item(element) for key, element in value.items()}
    return None


def _dataclass_decoder(cls: type) -> Callable[[list], Any]:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    decoded = [
        (index, decoder) for index, decoder in enumerate(_decoder(hints[name]) for name in names) if decoder is not None
    ]

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
