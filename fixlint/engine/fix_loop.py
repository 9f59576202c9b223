"""The fix loop: apply the fixes, re-analyse, refuse what does not parse or does not clear its
finding, repeat; then write every changed file atomically, unless it changed on disk meanwhile."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

from fixlint.engine.check import Engine, RunResult
from fixlint.files.display import display_path, shown_in_message
from fixlint.files.source_text import SourceText, edits_overlap, write_atomically
from fixlint.findings import CITED_LINE, Applicability, Edit, Finding
from fixlint.rules.base import FixStep

MAX_FIX_ROUNDS = 10
# Why a fix was not applied, as the finding says after "fix not applied: ".
STILL_REPORTED = "re-analysis still reports this finding after the fix"
DOES_NOT_PARSE = "the fixed code would not parse"
SAME_FIX_STILL_REPORTED = "re-analysis still reports another finding that the same fix is for"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Refusal:
    """A fix that was not applied: its finding (where it stands now), and why, as the finding will say."""

    finding: Finding
    reason: str
    detail: str = ""  # for the note on stderr: the parser's message

    def note(self, cwd: Path) -> str:
        where = f"{display_path(self.finding.path, cwd)}:{self.finding.line}: {self.finding.rule}"
        return f"{where}: fix not applied: {self.reason}" + (f" ({self.detail})" if self.detail else "")


@dataclass
class FixRound:
    overlay: dict[Path, bytes]
    result: Optional[RunResult]  # the re-analysis; None when the round changed nothing
    applied: dict[Path, set[Edit]]
    refusals: list[Refusal]
    fixed: list[Finding]


def fix(
    engine: Engine,
    paths: Sequence[Path],
    fix_rules: Iterable[str],
    unsafe: bool,
    write: bool,
    steps: Sequence[FixStep] = (),
) -> RunResult:
    """Apply the fixes of ``fix_rules`` (safe ones, and unsafe ones if ``unsafe``), re-analyse and
    repeat; write the files (if ``write``) once no round changes anything. ``steps``: the rule
    families' steps asked for on the command line, taken first."""
    fix_rules = set(fix_rules)
    originals: dict[Path, bytes] = {}
    overlay: dict[Path, bytes] = {}
    fixed: list[Finding] = []
    notes: list[str] = []
    refusals: list[Refusal] = []
    for step in steps:
        options = engine.family_options(step.family)
        if options is None:
            notes.append(f"{step.flag}: no {step.family} rule is selected")
        else:
            notes += [shown_in_message(note, engine.cwd) for note in step.run(options, engine.rootdirs(paths), write)]
    result = engine.run(paths, overlay)
    for number in range(1, MAX_FIX_ROUNDS + 1):
        engine.stage = f"fix round {number}: "
        refused = {_identity(refusal.finding) for refusal in refusals}
        wanted = [
            finding
            for finding in result.findings
            if finding.fix is not None
            and finding.rule in fix_rules
            and (finding.fix.applicability is Applicability.SAFE or unsafe)
            and _identity(finding) not in refused  # a fix refused once is not tried again
        ]
        # Edits are computed only for fixes that may be applied: a fix planned then may decline.
        declined = [Refusal(replace(f, fix=None), _declined(f)) for f in wanted if not _edits(f) and _declined(f)]
        applicable = [finding for finding in wanted if _edits(finding)]
        fix_round = _fix_round(engine, paths, _non_conflicting(applicable), overlay, originals)
        # Refusals made before this round follow the text that its edits moved.
        refusals = [replace(r, finding=_moved(r.finding, fix_round.applied)) for r in refusals + declined]
        refusals += fix_round.refusals
        notes += [refusal.note(engine.cwd) for refusal in declined + fix_round.refusals]
        if fix_round.result is not None:
            overlay, result = fix_round.overlay, fix_round.result
            fixed += fix_round.fixed
        elif not fix_round.refusals:
            break
    engine.stage = ""
    final = _mark_refused(result, refusals)
    changes = {path: (originals[path], overlay[path]) for path in overlay if overlay[path] != originals[path]}
    if write:
        notes += write_changes(changes, engine.cwd)
    final.fixed = len(fixed)
    final.fixed_findings = fixed
    final.changes = changes
    final.notes = notes
    return final


def write_changes(changes: dict[Path, tuple[bytes, bytes]], cwd: Path) -> list[str]:
    """Write each file's bytes after, atomically, unless it no longer holds its bytes before (changed
    on disk meanwhile); a file not written leaves ``changes``, and a note says why."""
    notes = []
    for path, (before, after) in list(changes.items()):
        shown = display_path(str(path), cwd)
        try:
            current = path.read_bytes()
        except OSError as error:
            notes.append(f"{shown}: not written: {error.strerror or error}")
            del changes[path]
            continue
        if current != before:
            notes.append(f"{shown}: changed on disk while fixlint worked on it; not written")
            del changes[path]
            continue
        try:
            write_atomically(path, after)
        except OSError as error:  # a full disk, a read-only folder: the other files still go
            notes.append(f"{shown}: not written: {error.strerror or error}")
            del changes[path]
    return notes


def _fix_round(
    engine: Engine,
    paths: Sequence[Path],
    accepted: list[Finding],
    overlay: dict[Path, bytes],
    originals: dict[Path, bytes],
) -> FixRound:
    """Apply ``accepted`` on top of ``overlay`` and re-analyse. A fix whose result does not
    parse, or whose finding the re-analysis still reports, is refused, and the round is
    applied again from its start without it: no file keeps half of a refused fix."""
    refusals: list[Refusal] = []
    while accepted:
        trial = dict(overlay)
        applied, broken = _apply(accepted, trial, originals)
        if broken:
            refused, deferred = _unparsable_fixes(accepted, broken, overlay)
            refusals += refused
            out = {id(refusal.finding) for refusal in refused} | {id(finding) for finding in deferred}
            accepted = [finding for finding in accepted if id(finding) not in out]
            continue
        if not applied:
            break
        after = engine.run(paths, trial)
        reported = {_identity(finding) for finding in after.findings}
        remaining = {id(finding) for finding in accepted if _identity(_moved(finding, applied)) in reported}
        # Findings that carry one fix (a migration across files) stand or fall together.
        failed = {_edit_set(finding) for finding in accepted if id(finding) in remaining}
        if failed:
            refusals += [
                Refusal(finding, STILL_REPORTED if id(finding) in remaining else SAME_FIX_STILL_REPORTED)
                for finding in accepted
                if _edit_set(finding) in failed
            ]
            accepted = [finding for finding in accepted if _edit_set(finding) not in failed]
            continue
        fixed = [finding for finding in accepted if all(Path(e.path) in applied for e in _edits(finding))]
        # Refused findings stand where this round's edits moved them.
        refusals = [replace(r, finding=_moved(r.finding, applied)) for r in refusals]
        return FixRound(trial, after, applied, refusals, fixed)
    return FixRound(overlay, None, {}, refusals, [])


def _non_conflicting(findings: list[Finding]) -> list[Finding]:
    """Whole fixes whose edits do not overlap an edit of a fix taken before them."""
    accepted: list[Finding] = []
    taken: list[Edit] = []
    for finding in findings:
        edits = _edits(finding)
        if any(e.path == t.path and edits_overlap(e, t) for e in edits for t in taken):
            continue
        accepted.append(finding)
        taken.extend(edits)
    return accepted


def _apply(
    findings: list[Finding], overlay: dict[Path, bytes], originals: dict[Path, bytes]
) -> tuple[dict[Path, set[Edit]], dict[Path, str]]:
    """Apply the fixes' edits to ``overlay``: the edits applied, by file, and the files whose
    result does not parse (or cannot be read), with why; those are left as they were."""
    edits_by_path: dict[Path, set[Edit]] = {}
    for finding in findings:
        for edit in _edits(finding):
            edits_by_path.setdefault(Path(edit.path), set()).add(edit)
    applied: dict[Path, set[Edit]] = {}
    broken: dict[Path, str] = {}
    for path, edits in edits_by_path.items():
        try:
            before = _read(path, overlay)
        except OSError as error:
            broken[path] = f"cannot read: {error.strerror or error}"
            continue
        originals.setdefault(path, before)
        after = SourceText.decode(before).apply(edits).encode()
        if after == before:
            continue
        problem = _parse_problem(after)
        if problem:
            broken[path] = problem
            continue
        overlay[path] = after
        applied[path] = edits
    return applied, broken


def _unparsable_fixes(
    accepted: list[Finding], broken: dict[Path, str], overlay: dict[Path, bytes]
) -> tuple[list[Refusal], list[Finding]]:
    """The fixes to take out of a round that left files unparsable: refused, each fix whose own
    edits break a file; deferred to the next round, all but the first of fixes that break a file
    only together."""
    refused: list[Refusal] = []
    deferred: list[Finding] = []
    for path, problem in broken.items():
        touching = [f for f in accepted if any(Path(e.path) == path for e in _edits(f))]
        try:
            before = SourceText.decode(_read(path, overlay))
        except OSError:
            refused += [Refusal(finding, f"{path.name} cannot be read", problem) for finding in touching]
            continue
        guilty = []
        for finding in touching:
            own = [e for e in _edits(finding) if Path(e.path) == path]
            alone = _parse_problem(before.apply(own).encode())
            if alone:
                guilty.append(Refusal(finding, DOES_NOT_PARSE, alone))
        if not guilty and len(touching) > 1:
            deferred += touching[1:]
        else:
            refused += guilty or [Refusal(finding, DOES_NOT_PARSE, problem) for finding in touching]
    return refused, deferred


def _edits(finding: Finding) -> tuple[Edit, ...]:
    """The edits of a finding's fix: the loop takes only findings with a fix."""
    fix = finding.fix
    assert fix is not None
    return fix.edits


def _declined(finding: Finding) -> str:
    """Why a finding's fix, planned when its edits were asked for, found no fix ("" if it found one)."""
    fix = finding.fix
    assert fix is not None
    return fix.declined


def _edit_set(finding: Finding) -> frozenset[Edit]:
    return frozenset(_edits(finding))


def _read(path: Path, overlay: dict[Path, bytes]) -> bytes:
    return overlay[path] if path in overlay else path.read_bytes()


def _parse_problem(data: bytes) -> str:
    import libcst as cst  # imported only when a fix is applied: a check never needs it

    try:
        cst.parse_module(data)
    except cst.ParserSyntaxError as error:
        return error.message
    return ""


def _identity(finding: Finding) -> tuple:
    """What makes a finding the same one after edits moved it: rule, file, position (moved by
    ``_moved``) and message, with the line numbers it cites (``conftest.py:12``) left out."""
    return (finding.rule, finding.path, finding.line, finding.column, CITED_LINE.sub("#", finding.message))


def _moved(finding: Finding, applied: dict[Path, set[Edit]]) -> Finding:
    """The finding where its position stands once ``applied`` edits are made; a position inside
    a replaced span goes to the span's start."""
    line, column = finding.line, finding.column
    for edit in sorted(applied.get(Path(finding.path), ()), key=lambda e: (e.line, e.column), reverse=True):
        if (line, column) <= (edit.line, edit.column):
            continue
        if (line, column) < (edit.end_line, edit.end_column):
            line, column = edit.line, edit.column
            continue
        pieces = _LINE_BREAK.split(edit.content)
        if line == edit.end_line:
            column += len(pieces[-1]) + (edit.column if len(pieces) == 1 else 1) - edit.end_column
        line += edit.line + len(pieces) - 1 - edit.end_line
    if (line, column) == (finding.line, finding.column):
        return finding
    return replace(finding, line=line, column=column, end_line=line + finding.end_line - finding.line)


def _mark_refused(result: RunResult, refusals: list[Refusal]) -> RunResult:
    """A finding whose fix was refused says so, and offers no fix: `fix` just declined it."""
    reasons = {_identity(refusal.finding): refusal.reason for refusal in refusals}
    findings = []
    for finding in result.findings:
        reason = reasons.get(_identity(finding))
        if reason is not None:
            finding = replace(
                finding,
                message=f"{finding.message}; fix not applied: {reason}",
                fix=None,
                data={**finding.data, "fix_not_applied": reason},
            )
        findings.append(finding)
    return RunResult(findings)
