"""Source files as text that edits apply to, and back to bytes exactly as they were encoded."""

from __future__ import annotations

import contextlib
import difflib
import io
import os
import re
import signal
import tempfile
import tokenize
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from fixlint.findings import Edit

LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
BARE_LF_RE = re.compile(r"(?<!\r)\n")


@dataclass(frozen=True)
class SourceText:
    text: str
    encoding: str  # as tokenize detects it: "utf-8-sig" keeps a BOM

    @classmethod
    def decode(cls, data: bytes) -> SourceText:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return cls(data.decode(encoding), encoding)

    def encode(self) -> bytes:
        return self.text.encode(self.encoding)

    def apply(self, edits: Iterable[Edit]) -> SourceText:
        """Apply non-overlapping edits; positions are 1-based lines and character columns.
        A bare "\n" in an edit's content becomes the line ending of the line it lands on."""
        lines = LINE_RE.findall(self.text)
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line))
        first_ending = next((line[len(line.rstrip("\r\n")) :] for line in lines if line.endswith(("\n", "\r"))), "\n")

        def offset(line: int, column: int) -> int:
            return offsets[line - 1] + column - 1 if line - 1 < len(offsets) else len(self.text)

        def ending(line: int) -> str:
            text = lines[line - 1] if line - 1 < len(lines) else ""
            return text[len(text.rstrip("\r\n")) :] or first_ending

        text = self.text
        # Unordered insertions at one point end up in the order of their text.
        for edit in sorted(edits, key=lambda e: (e.line, e.column, e.content), reverse=True):
            start, end = offset(edit.line, edit.column), offset(edit.end_line, edit.end_column)
            text = text[:start] + BARE_LF_RE.sub(ending(edit.line), edit.content) + text[end:]
        return SourceText(text, self.encoding)


def text_edits(path: str, before: str, after: str) -> tuple[Edit, ...]:
    """The edits that turn ``before`` into ``after`` (a module LibCST rewrote): one per region of
    changed lines, each cut to the characters it changes. Fixes of two findings in one module
    then overlap only where they change the same lines, and the fix loop applies both at once."""
    if before == after:
        return ()
    old, new = LINE_RE.findall(before), LINE_RE.findall(after)
    old_offsets, new_offsets = _offsets(old), _offsets(new)
    return tuple(
        _changed_span(path, before, after, (old_offsets[i1], old_offsets[i2]), (new_offsets[j1], new_offsets[j2]))
        for i1, i2, j1, j2 in _changed_lines(old, new)
    )


def _changed_lines(old: list[str], new: list[str]) -> list[tuple[int, int, int, int]]:
    """The regions of lines that differ (``old[i1:i2]`` becomes ``new[j1:j2]``). A deletion or
    insertion that could stand lower or higher (a deleted function between blank lines) is put
    as high as it goes: with the blank lines before it, where LibCST keeps a statement's lines."""
    regions: list[tuple[int, int, int, int]] = []
    floor = (0, 0)  # where the region before ends: a region slides up no further
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag == "delete":
            while i1 > floor[0] and j1 > floor[1] and old[i1 - 1] == old[i2 - 1]:
                i1, i2, j1, j2 = i1 - 1, i2 - 1, j1 - 1, j2 - 1
        elif tag == "insert":
            while i1 > floor[0] and j1 > floor[1] and new[j1 - 1] == new[j2 - 1]:
                i1, i2, j1, j2 = i1 - 1, i2 - 1, j1 - 1, j2 - 1
        regions.append((i1, i2, j1, j2))
        floor = (i2, j2)
    return regions


def _offsets(lines: list[str]) -> list[int]:
    """The character offset where each line starts, and the length of the text last."""
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    return offsets


def _changed_span(path: str, before: str, after: str, old: tuple[int, int], new: tuple[int, int]) -> Edit:
    """The edit that turns ``before[old]`` into ``after[new]``: what lies between their common
    prefix and suffix."""
    (start, end), (new_start, new_end) = old, new
    prefix = 0
    while prefix < min(end - start, new_end - new_start) and before[start + prefix] == after[new_start + prefix]:
        prefix += 1
    if prefix and before[start + prefix - 1 : start + prefix + 1] == "\r\n":
        prefix -= 1  # keep a CRLF whole: positions count it as one line ending
    suffix = 0
    while (
        suffix < min(end - start, new_end - new_start) - prefix
        and before[end - 1 - suffix] == after[new_end - 1 - suffix]
    ):
        suffix += 1
    if suffix and before[end - suffix - 1 : end - suffix + 1] == "\r\n":
        suffix -= 1
    start_line, start_column = _position(before, start + prefix)
    end_line, end_column = _position(before, end - suffix)
    return Edit(path, start_line, start_column, end_line, end_column, after[new_start + prefix : new_end - suffix])


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset``, counting lines as ``SourceText`` does."""
    head = text[:offset]
    line_start = max(head.rfind("\n"), head.rfind("\r")) + 1
    line = head.count("\n") + head.count("\r") - head.count("\r\n") + 1
    return line, offset - line_start + 1


def edits_overlap(first: Edit, second: Edit) -> bool:
    if first == second:
        return False
    a = ((first.line, first.column), (first.end_line, first.end_column))
    b = ((second.line, second.column), (second.end_line, second.end_column))
    if a[0] == a[1] == b[0] == b[1]:
        # two insertions at one point: their order would be arbitrary, unless it does not matter
        return not (first.unordered and second.unordered)
    return a[0] < b[1] and b[0] < a[1] or a[0] == b[0]


MAX_NAME_IN_TEMPORARY = 50


def write_atomically(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, fsync, rename over; keep the mode.
    A symlink stays a symlink: the file it points to is the one rewritten. SIGTERM and SIGINT
    wait until the file is whole: a stop in between would leave the temporary file behind."""
    path = Path(os.path.realpath(path))
    mode = path.stat().st_mode & 0o7777
    with stops_deferred():
        # The name is cut so that prefix, random part and suffix stay within a 255-byte file name.
        fd, temporary = tempfile.mkstemp(
            prefix=f".{path.name[:MAX_NAME_IN_TEMPORARY]}.", suffix=".fixlint", dir=path.parent
        )
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise


# Ctrl-C, and the stop a timeout, a cancelled CI job or pre-commit sends.
STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


@contextlib.contextmanager
def stops_deferred() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait for the block's end (a process forked inside inherits the wait)."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal mask
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
