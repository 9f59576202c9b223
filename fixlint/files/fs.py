"""Every question a run asks the filesystem, asked here. While a journal is open, each question
and its answer are written down, so that a later run can tell, by asking them again, whether
everything the earlier run's findings rest on still holds (the run cache)."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional, Union

# (kind, path) -> answer, in JSON's types. The kinds are the names of the questions below, and
# "facts" for a file read for its facts only (its bytes' digest and its facts' digest).
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


def _matches(pattern: Path) -> list[str]:
    return sorted(str(path) for path in pattern.parent.glob(pattern.name))


# The paths a pattern's last part matches in its folder (``requirements/*.txt``), sorted.
glob: Callable[[Path], list[str]] = _question("glob", _matches)


def read_bytes(path: Path) -> bytes:
    """The bytes; what was read is noted by its hash, and a failure by its errno."""
    try:
        data = path.read_bytes()
    except OSError as error:
        _noted("read_bytes", path, ["error", error.errno])
        raise
    _noted("read_bytes", path, _digest(data))
    return data


def read_for_facts(path: Path) -> bytes:
    """The bytes of a file the run reads for its facts only; the caller notes what they say with
    ``note_facts``, so that an edit that leaves them alone (a comment, a blank line) still holds."""
    try:
        return path.read_bytes()
    except OSError as error:
        _noted("facts", path, ["error", error.errno])
        raise


def note_facts(path: Path, data: bytes, facts_digest: str) -> None:
    _noted("facts", path, [_digest(data), facts_digest])


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
    """The folder's entries that a walk for Python modules reads, sorted by name: folders and
    ``*.py`` names. Other files (a log, a coverage file) come and go without a question changing."""
    try:
        entries = [_entry(item) for item in os.scandir(directory) if item.name.endswith(".py") or _is_folder(item)]
    except OSError as error:
        _noted("scandir", directory, ["error", error.errno])
        raise
    entries.sort(key=lambda entry: entry.name)
    _noted("scandir", directory, [[e.name, e.is_dir, e.is_file, e.is_symlink, e.error] for e in entries])
    return entries


def _other_files(directory: Path) -> list[str]:
    return sorted(item.name for item in os.scandir(directory) if not item.name.endswith(".py") and not _is_folder(item))


# The names of the folder's entries ``scandir`` leaves out (a Markdown page, a log), sorted: asked
# only where a file other than a module matters (another collector's tests).
other_files: Callable[[Path], list[str]] = _question("other_files", _other_files)


def _is_folder(item: os.DirEntry) -> bool:
    try:
        return item.is_dir()
    except OSError:
        return True  # kept, so that the walk reports it


def _entry(item: os.DirEntry) -> Entry:
    try:
        return Entry(item.name, Path(item.path), item.is_dir(), item.is_file(), item.is_symlink())
    except OSError as error:
        return Entry(item.name, Path(item.path), False, False, False, error.strerror or str(error))


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def still_holds(questions: list[list], digest_of_facts: Callable[[Path, bytes], str]) -> tuple[bool, list[list]]:
    """Whether every ``[kind, path, answer]`` gets the same answer now; and the questions with
    the answers of today, where a file's bytes changed and its facts did not (``digest_of_facts``
    gives the digest of the facts of a file's bytes)."""
    today = []
    for kind, path, answer in questions:
        if kind == "facts":
            answer = _facts_now(Path(path), answer, digest_of_facts)
            if answer is None:
                return False, questions
        elif kind not in _ASK or _answer_now(kind, path) != answer:
            return False, questions
        today.append([kind, path, answer])
    return True, today


def _facts_now(path: Path, answer: list, digest_of_facts: Callable[[Path, bytes], str]) -> Optional[list]:
    """The facts question's answer now, when it says the same as ``answer``; else None."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return answer if answer == ["error", error.errno] else None
    if answer[0] == "error":
        return None
    if _digest(data) == answer[0]:
        return answer
    return [_digest(data), answer[1]] if digest_of_facts(path, data) == answer[1] else None


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
    "is_file": is_file,
    "is_dir": is_dir,
    "is_symlink": is_symlink,
    "exists": exists,
    "realpath": realpath,
    "glob": glob,
    "read_bytes": read_bytes,
    "scandir": scandir,
    "other_files": other_files,
}
