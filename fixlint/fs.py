"""Every question a run asks the filesystem, asked here. While a journal is open, each question
and its answer are written down, so that a later run can tell, by asking them again, whether
everything the earlier run's findings rest on still holds (the run cache)."""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Union

# (kind, path) -> answer, in JSON's types: the kinds are the names of the functions below.
Journal = dict[tuple[str, str], object]
_journal: Optional[Journal] = None


@contextlib.contextmanager
def journal() -> Iterator[Journal]:
    """Write down the questions asked inside the block."""
    global _journal
    outer, _journal = _journal, {}
    try:
        yield _journal
    finally:
        _journal = outer


def _noted(kind: str, path: Union[str, Path], answer: object) -> None:
    if _journal is not None:
        _journal[(kind, str(path))] = answer


def _question(kind: str, ask: Callable[[Path], Any]) -> Callable[[Path], Any]:
    def asked(path: Path) -> Any:
        answer = ask(path)
        _noted(kind, path, answer)
        return answer

    asked.__name__ = kind
    return asked


is_file: Callable[[Path], bool] = _question("is_file", Path.is_file)
is_dir: Callable[[Path], bool] = _question("is_dir", Path.is_dir)
is_symlink: Callable[[Path], bool] = _question("is_symlink", Path.is_symlink)
exists: Callable[[Path], bool] = _question("exists", Path.exists)
realpath: Callable[[Path], str] = _question("realpath", os.path.realpath)


def read_bytes(path: Path) -> bytes:
    """The bytes; what was read is noted by its hash, and a failure by its errno."""
    try:
        data = path.read_bytes()
    except OSError as error:
        _noted("read_bytes", path, ["error", error.errno])
        raise
    _noted("read_bytes", path, _digest(data))
    return data


def read_text(path: Path, encoding: str = "utf-8") -> str:
    return read_bytes(path).decode(encoding)


@dataclass(frozen=True)
class Entry:
    """What a folder walk learns of one entry; ``error`` when its type could not be read."""

    name: str
    path: Path
    is_dir: bool
    is_file: bool
    is_symlink: bool
    error: Optional[str] = None


def scandir(directory: Path) -> list[Entry]:
    """The folder's entries, sorted by name."""
    try:
        entries = [_entry(item) for item in os.scandir(directory)]
    except OSError as error:
        _noted("scandir", directory, ["error", error.errno])
        raise
    entries.sort(key=lambda entry: entry.name)
    _noted("scandir", directory, [[e.name, e.is_dir, e.is_file, e.is_symlink, e.error] for e in entries])
    return entries


def _entry(item: os.DirEntry) -> Entry:
    try:
        return Entry(item.name, Path(item.path), item.is_dir(), item.is_file(), item.is_symlink())
    except OSError as error:
        return Entry(item.name, Path(item.path), False, False, False, error.strerror or str(error))


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def still_holds(questions: list[list]) -> bool:
    """Every ``[kind, path, answer]`` gets the same answer now."""
    return all(kind in _ASK and _answer_now(kind, path) == answer for kind, path, answer in questions)


def _answer_now(kind: str, path: str) -> object:
    """The answer the question gets now, noted in a journal of its own."""
    global _journal
    outer, _journal = _journal, {}
    try:
        _ASK[kind](Path(path))
    except OSError:
        pass  # the failure is the answer, noted with its errno
    finally:
        answered, _journal = _journal, outer
    return answered.get((kind, path))


_ASK: dict[str, Callable[[Path], object]] = {
    "is_file": is_file, "is_dir": is_dir, "is_symlink": is_symlink, "exists": exists, "realpath": realpath,
    "read_bytes": read_bytes, "scandir": scandir,
}
