"""The baseline: the findings a suite had when it adopted fixlint, kept in a file, so that a run
reports only the new ones. An entry is a finding's rule, its file (relative to the baseline's
folder) and a fingerprint of its own code (the lines it spans, whitespace-normalised) and of its
message, never its line number: an edit elsewhere in the file leaves the entry matched. Two equal
findings in one file need two entries."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fixlint.errors import ConfigError
from fixlint.files.source_text import LINE_RE, SourceText, write_atomically
from fixlint.findings import CITED_LINE, Finding

FORMAT_KEY = "fixlint-baseline"
FORMAT_VERSION = 1
# A message's claim ends at its first "; ": what follows are hints (where an unseen fixture of
# the name is defined, did you mean) and fix notes, which change with what the run read (a named
# file, the whole tree) and whether it planned fixes (json, sarif) or not (text).
_HINTS = re.compile(r"; .*\Z", re.DOTALL)
# The tests a finding hits (``tests/test_a.py::test_x and 3 more tests``): a new test, or a run
# that names one file (pre-commit), changes them, and the finding is still the same one.
_TESTS_HIT = re.compile(r"\S+\.py::\S+(?: and \d+ more tests?)?")
# The folders of a file a message cites: shown from the working folder, they change with it.
_CITED_FOLDERS = re.compile(r"(?:[\w.-]+/)+(?=[\w.-]+\.py\b)")


@dataclass(frozen=True)
class Entry:
    path: str  # posix, relative to the baseline's folder
    rule: str
    fingerprint: str
    message: str = field(compare=False)  # for the reader of the file; the fingerprint holds it

    @property
    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.path, self.rule, self.message, self.fingerprint)


@dataclass
class Comparison:
    new: list[Finding]  # findings the baseline does not hold: reported
    known: int  # findings it holds: not reported
    fixed: list[Entry]  # entries of the files checked that no finding matches any more
    elsewhere: list[Entry]  # entries of files this run did not check: neither matched nor fixed


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """One fingerprint per finding: its code (the lines it spans, whitespace-normalised) and its
    message's claim (without the hints, the line numbers, the folders of the files and the tests it
    cites), not where it stands."""
    texts: dict[str, list[str]] = {}
    result = []
    for finding in findings:
        if finding.path not in texts:
            texts[finding.path] = _lines(Path(finding.path))
        lines = texts[finding.path]
        code = " ".join(" ".join(lines[finding.line - 1 : max(finding.end_line, finding.line)]).split())
        message = _TESTS_HIT.sub("<tests>", CITED_LINE.sub("#", _HINTS.sub("", finding.message)))
        message = _CITED_FOLDERS.sub("", message)
        result.append(hashlib.sha256(f"{code}\0{message}".encode()).hexdigest()[:16])
    return result


def _lines(path: Path) -> list[str]:
    try:
        data = path.read_bytes()
    except OSError:  # an io-error finding: its file has no code to show
        return []
    try:
        text = SourceText.decode(data).text
    except (SyntaxError, UnicodeDecodeError):  # a bad coding cookie is a finding too
        text = data.decode("latin-1")
    return [line.rstrip("\r\n") for line in LINE_RE.findall(text)]


def entries(findings: Sequence[Finding], folder: Path) -> list[Entry]:
    return [
        Entry(
            Path(os.path.relpath(finding.path, folder)).as_posix(),
            finding.rule,
            fingerprint,
            _HINTS.sub("", finding.message),  # the same text whatever the run read
        )
        for finding, fingerprint in zip(findings, fingerprints(findings))
    ]


def compare(findings: Sequence[Finding], baseline: Sequence[Entry], folder: Path, scope: Sequence[Path]) -> Comparison:
    """Each finding takes one entry of the same rule, file and fingerprint, while there is one
    left. ``scope``: the files and folders the run checked; an entry of another file (pre-commit
    names one file) is left alone rather than called fixed."""
    left = Counter(baseline)
    new = []
    for finding, entry in zip(findings, entries(findings, folder)):
        if left[entry] > 0:
            left[entry] -= 1
        else:
            new.append(finding)
    fixed: list[Entry] = []
    elsewhere: list[Entry] = []
    for entry in baseline:
        if left[entry] > 0:
            left[entry] -= 1
            checked = _within(Path(os.path.normpath(folder / entry.path)), scope)
            (fixed if checked else elsewhere).append(entry)
    return Comparison(new, len(findings) - len(new), fixed, elsewhere)


def _within(path: Path, scope: Iterable[Path]) -> bool:
    return any(path == target or target in path.parents for target in scope)


def load(path: Path) -> list[Entry]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(
            f"{path}: cannot read the baseline: {error.strerror or error} (write one with --write-baseline)"
        ) from None
    except ValueError as error:
        raise ConfigError(f"{path}: not a fixlint baseline: {error}") from None
    if (
        not isinstance(data, dict)
        or data.get(FORMAT_KEY) != FORMAT_VERSION
        or not isinstance(data.get("entries"), list)
    ):
        raise ConfigError(f"{path}: not a fixlint baseline (version {FORMAT_VERSION}): write it with --write-baseline")
    result = []
    for item in data["entries"]:
        if not isinstance(item, dict) or not all(
            isinstance(item.get(key), str) for key in ("path", "rule", "fingerprint")
        ):
            raise ConfigError(f"{path}: a baseline entry needs the strings path, rule and fingerprint: {item!r}")
        result.append(Entry(item["path"], item["rule"], item["fingerprint"], str(item.get("message", ""))))
    return result


def write(path: Path, findings: Sequence[Finding], scope: Sequence[Path]) -> tuple[int, int]:
    """Record ``findings`` in the baseline at ``path``, keeping the entries of files this run did
    not check and dropping those fixed; (entries written, entries dropped)."""
    folder = path.parent.absolute()
    comparison = compare(findings, load(path) if path.exists() else [], folder, scope)
    recorded = sorted(entries(findings, folder) + comparison.elsewhere, key=lambda entry: entry.sort_key)
    lines = [
        json.dumps(
            {"path": e.path, "rule": e.rule, "fingerprint": e.fingerprint, "message": e.message}, ensure_ascii=False
        )
        for e in recorded
    ]
    # One entry a line: a baseline's diff in review shows the findings that came and went.
    body = "\n" + ",\n".join(f"    {line}" for line in lines) + "\n  " if lines else ""
    text = f'{{\n  "{FORMAT_KEY}": {FORMAT_VERSION},\n  "entries": [{body}]\n}}\n'
    if path.exists():
        write_atomically(path, text.encode())
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode())
    return len(recorded), len(comparison.fixed)
