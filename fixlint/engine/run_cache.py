"""The findings of whole ``check`` runs, by what the run was asked, with every question the run
asked the filesystem and its answer (``fixlint.files.fs``): while every answer still holds,
the findings are those of the run."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Callable, Optional

from fixlint import __version__
from fixlint.files import fs
from fixlint.files.cache_dir import code_digest, content_key, write_entry
from fixlint.findings import Applicability, Edit, Finding, Fix
from fixlint.pytest_model.environment import PythonEnvironment
from fixlint.pytest_model.installed import environment_key


class RunCache:
    """The findings of whole ``check`` runs, by what the run was asked: the newest few are kept."""

    KEPT = 16  # entries; pre-commit asks about other files on every commit

    def __init__(self, directory: Path) -> None:
        self.directory = directory / f"runs-{__version__}-{code_digest()}"

    @staticmethod
    def key(question: object, environment: PythonEnvironment) -> str:
        """The key of a run: what it was asked, and the environment its model rests on (the
        Python, the suite's environment: its plugins and distributions with their versions)."""
        return content_key(repr((sys.version_info[:2], environment_key(environment), question)).encode())

    def get(self, key: str, digest_of_facts: Callable[[Path, bytes], str]) -> Optional[tuple[list[Finding], list[str]]]:
        """The findings and notes, when the entry is whole and every answer its run got still holds (a
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
            notes = [str(note) for note in entry["notes"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
            return None
        if today != entry["questions"]:  # the next run need not read the edited files' facts again
            entry["questions"] = today
            write_entry(target, json.dumps(entry, separators=(",", ":")))
        return findings, notes

    def put(self, key: str, questions: fs.Journal, findings: list[Finding], notes: list[str]) -> None:
        entry = {
            "key": key,
            "questions": [[kind, path, answer] for (kind, path), answer in questions.items()],
            "findings": [_encode_finding(finding) for finding in findings],
            "notes": notes,
        }
        if write_entry(self.directory / f"{key}.json", json.dumps(entry, separators=(",", ":"))):
            self._prune()

    def _prune(self) -> None:
        try:
            entries = sorted(self.directory.glob("*.json"), key=lambda path: path.stat().st_mtime, reverse=True)
            for stale in entries[self.KEPT :]:
                stale.unlink()
        except OSError:
            pass  # a cache that cannot be written only costs time


def _encode_finding(finding: Finding) -> list:
    fix = None
    if finding.fix is not None:
        # Edits are kept when the run computed them (the formats that show them do).
        edits = None if not finding.fix.edits_known else [dataclasses.astuple(edit) for edit in finding.fix.edits]
        fix = [finding.fix.applicability.value, edits]
    return [
        finding.rule,
        finding.path,
        finding.line,
        finding.column,
        finding.end_line,
        finding.end_column,
        finding.message,
        finding.severity,
        fix,
        finding.data,
        list(finding.concerns),
        list(finding.suppressible_at),
    ]


def _decode_finding(value: list) -> Finding:
    rule, path, line, column, end_line, end_column, message, severity, fix, data, concerns, suppressible_at = value
    if fix is not None:
        applicability, edits = fix
        fix = Fix(
            Applicability(applicability), _edits_not_kept if edits is None else tuple(Edit(*edit) for edit in edits)
        )
    return Finding(
        rule,
        path,
        line,
        column,
        end_line,
        end_column,
        message,
        severity,
        fix,
        data,
        tuple(concerns),
        tuple(suppressible_at),
    )


def _edits_not_kept() -> tuple[Edit, ...]:
    raise LookupError("the run cache keeps the edits only of runs that show them")
