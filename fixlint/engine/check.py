"""The per-file pass (bytes -> facts), the project pass (facts -> findings) and the fix loop."""

from __future__ import annotations

import difflib
import fnmatch
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Optional, Sequence

import libcst as cst

from fixlint.files import fs
from fixlint.engine.run_cache import RunCache
from fixlint.pytest_model.stored_views import ViewsCache
from fixlint.rules.required_events.edits import write_helper_module
from fixlint.files.source_text import SourceText, edits_overlap, write_atomically
from fixlint.config import Settings, expand_rule_names
from fixlint.files.walk import WalkProblem, is_excluded
from fixlint.pytest_model.collection import iter_modules, iter_source_files
from fixlint.pytest_model.config import ConfigFinder
from fixlint.facts.file_pass import FilePass
from fixlint.facts.model import Suppression
from fixlint.findings import Applicability, Edit, Finding, Fix
from fixlint.output.paths import display_path
from fixlint.modules import SourceFile
from fixlint.pytest_model.project import Project, is_test_module
from fixlint.rules.registry import RULES

MAX_FIX_ROUNDS = 10


@dataclass
class RunResult:
    findings: list[Finding]
    fixed: int = 0
    # path -> (bytes before, bytes after) for every file a fix run changed (or would change)
    changes: dict[Path, tuple[bytes, bytes]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # things the user should know, for stderr


# Why a fix was not applied, as the finding says after "fix not applied: ".
STILL_REPORTED = "re-analysis still reports this finding after the fix"
DOES_NOT_PARSE = "the fixed code would not parse"
SAME_FIX_STILL_REPORTED = "re-analysis still reports another finding that the same fix is for"
_CITED_LINE = re.compile(r"(?<=\.py):\d+")
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
    fixed: int


class Engine:
    def __init__(
        self,
        settings: Settings,
        selected: Sequence[str],
        cwd: Path,
        file_pass: Optional[FilePass] = None,
        run_cache: Optional[RunCache] = None,
        views_cache: Optional[ViewsCache] = None,
    ) -> None:
        self.settings = settings
        self.selected = list(selected)
        self.cwd = cwd
        self.finder = ConfigFinder(settings.project_root)
        self.rules = [
            RULES[name](settings.options.get(RULES[name].family)) for name in self.selected if name in RULES
        ]
        self.file_pass = file_pass or FilePass()
        self.run_cache = run_cache
        self.views_cache = views_cache

    def check(self, paths: Sequence[Path], with_edits: bool) -> RunResult:
        """``run``, answered by the run cache when every answer the cached run got from the
        filesystem still holds. ``with_edits``: the fixes' edits will be read (and kept)."""
        if self.run_cache is None:
            return self.run(paths)
        key = self.run_cache.key((self.settings, self.selected, [str(path) for path in paths], with_edits))
        cached = self.run_cache.get(key, self.file_pass.digest)
        if cached is not None:
            return RunResult(cached)
        with fs.journal() as questions:
            result = self.run(paths)
            for finding in result.findings if with_edits else ():
                if finding.fix is not None:
                    finding.fix.edits  # computed here, so that the entry keeps them and what they read is noted
        self.run_cache.put(key, questions, result.findings)
        return result

    # -- the project pass -----------------------------------------------------------------
    def run(self, paths: Sequence[Path], overlay: Optional[dict[Path, bytes]] = None) -> RunResult:
        overlay = overlay or {}
        problems: list[WalkProblem] = []
        reported = list(iter_source_files(paths, self.finder, self.settings.exclude, self.settings.project_root, problems))
        findings: list[Finding] = [self._problem_finding(problem) for problem in problems]

        def read(path: Path) -> bytes:
            return overlay[path] if path in overlay else fs.read_bytes(path)

        def read_source(path: Path) -> bytes:
            return overlay[path] if path in overlay else fs.read_for_facts(path)

        def load(path: Path) -> Optional[SourceFile]:
            try:
                data = read_source(path)
            except OSError as error:
                findings.append(_io_finding(path, f"cannot read: {error.strerror or error}"))
                return None
            facts = self.file_pass.facts(path, data)
            digest = self.file_pass.digest(path, data)
            if path not in overlay:
                fs.note_facts(path, data, digest)
            return SourceFile(path, facts, self.finder.governing(path.parent), digest)

        project = Project({}, load, read, lambda top: iter_modules(top, self.finder), views=self.views_cache)
        # The fix loop's later runs parse only the files fixed so far, and a process already
        # holding a project is not forked: its workers would share, then copy, its memory.
        self.file_pass.prefetch(reported, read_source, parallel=not overlay)
        for path in reported:
            project.source(path)
        for path in self._reached_files(reported, project):
            project.source(path)
        report_set = {str(path) for path in reported}
        for config_error in sorted({file.config.error for file in project.files.values() if file.config.error}):
            findings.append(_config_finding(config_error))
        for path in reported:
            file = project.files.get(path)
            if file is not None and file.facts.syntax_error is not None:
                error = file.facts.syntax_error
                findings.append(
                    Finding("syntax-error", str(path), error.line, error.column, error.line, error.column, error.message)
                )
        # Problems with the input are always reported, whatever rules are selected (as ruff does).
        rule_findings = [finding for rule in self.rules for finding in rule.check_project(project)]
        selected = set(self.selected)
        findings += [
            finding
            for finding in rule_findings
            if finding.rule in selected
            and (finding.path in report_set or any(path in report_set for path in finding.concerns))
            and not self._ignored_for_file(finding)
            and not is_excluded(Path(finding.path), self.settings.exclude, self.settings.project_root)
        ]
        findings = self._apply_suppressions(findings, project, report_set)
        return RunResult(sorted(set(findings), key=lambda f: f.sort_key))

    def _reached_files(self, reported: list[Path], project: Project) -> list[Path]:
        """The test files whose fixtures the named files may define: for a named conftest.py,
        those under its folder; for another named module that defines fixtures (a
        ``pytest_plugins`` module, a helper that tests import fixtures from), those of its rootdir."""
        reach = []
        for path in reported:
            file = project.files.get(path)
            if file is None:
                continue
            if file.is_conftest:
                reach.append(path.parent)
            elif not is_test_module(file) and file.facts.fixtures:
                reach.append(file.config.rootdir)
        return list(iter_source_files(reach, self.finder, self.settings.exclude, self.settings.project_root, [])) if reach else []

    def _ignored_for_file(self, finding: Finding) -> bool:
        if not self.settings.per_file_ignores:
            return False
        try:
            relative = Path(finding.path).relative_to(self.settings.project_root).as_posix()
        except ValueError:
            relative = Path(finding.path).as_posix()
        for glob, names in self.settings.per_file_ignores.items():
            if fnmatch.fnmatch(relative, glob) or fnmatch.fnmatch(Path(relative).name, glob):
                if finding.rule in expand_rule_names(tuple(names), "per-file-ignores"):
                    return True
        return False

    def _apply_suppressions(self, findings: list[Finding], project: Project, report_set: set[str]) -> list[Finding]:
        kept: list[Finding] = []
        used: set[int] = set()
        by_line: dict[tuple[str, int], list[Suppression]] = {}
        for file in project.files.values():
            for suppression in file.facts.suppressions:
                by_line.setdefault((str(file.path), suppression.line), []).append(suppression)
        for finding in findings:
            matched = [
                s
                for line in (finding.line, *finding.suppressible_at)
                for s in by_line.get((finding.path, line), [])
                if s.rules is None or finding.rule in s.rules
            ]
            used.update(id(s) for s in matched)
            if not matched:
                kept.append(finding)
        if "unused-suppression" in self.selected:
            for (path, _), suppressions in by_line.items():
                if path not in report_set:
                    continue
                for suppression in suppressions:
                    if id(suppression) in used or not self._can_judge(suppression):
                        continue
                    kept.append(self._unused_suppression(project, project.files[Path(path)], suppression))
        return kept

    def _can_judge(self, suppression: Suppression) -> bool:
        """A suppression of a rule that did not run may be in use: judge only what ran."""
        names = [name for name, rule in RULES.items() if rule.default_enabled] if suppression.rules is None else suppression.rules
        return all(name in self.selected or name not in RULES for name in names)

    def _unused_suppression(self, project: Project, file: SourceFile, suppression: Suppression) -> Finding:
        names = ", ".join(suppression.rules) if suppression.rules else "any rule"
        edit = _suppression_removal(project, file.path, suppression)
        return Finding(
            "unused-suppression", str(file.path), suppression.line, suppression.column,
            suppression.line, suppression.column, f"this suppression ({names}) suppresses nothing",
            fix=Fix(Applicability.SAFE, (edit,)) if edit else None,
            data={"rules": list(suppression.rules or ())},
        )

    # -- the fix loop -----------------------------------------------------------------------
    def fix(
        self, paths: Sequence[Path], fix_rules: Iterable[str], unsafe: bool, write: bool, write_events_helper: bool = False
    ) -> RunResult:
        fix_rules = set(fix_rules)
        originals: dict[Path, bytes] = {}
        overlay: dict[Path, bytes] = {}
        fixed = 0
        notes: list[str] = []
        refusals: list[Refusal] = []
        if write_events_helper:
            notes += self._write_events_helper(paths, write)
        result = self.run(paths, overlay)
        for _ in range(MAX_FIX_ROUNDS):
            refused = {_identity(refusal.finding) for refusal in refusals}
            applicable = [
                finding
                for finding in result.findings
                if finding.fix is not None
                and finding.rule in fix_rules
                and (finding.fix.applicability is Applicability.SAFE or unsafe)
                and finding.fix.edits  # computed only for fixes that may be applied
                and _identity(finding) not in refused  # a fix refused once is not tried again
            ]
            fix_round = self._fix_round(paths, _non_conflicting(applicable), overlay, originals)
            # Refusals made earlier follow the text that this round's edits moved.
            refusals = [replace(r, finding=_moved(r.finding, fix_round.applied)) for r in refusals] + fix_round.refusals
            notes += [refusal.note(self.cwd) for refusal in fix_round.refusals]
            if fix_round.result is not None:
                overlay, result = fix_round.overlay, fix_round.result
                fixed += fix_round.fixed
            elif not fix_round.refusals:
                break
        final = _mark_refused(result, refusals)
        changes = {path: (originals[path], overlay[path]) for path in overlay if overlay[path] != originals[path]}
        if write:
            for path, (before, after) in list(changes.items()):
                try:
                    current = path.read_bytes()
                except OSError as error:
                    notes.append(f"{path}: not written: {error.strerror or error}")
                    del changes[path]
                    continue
                if current != before:
                    notes.append(f"{path}: changed on disk while fixlint worked on it; not written")
                    del changes[path]
                    continue
                try:
                    write_atomically(path, after)
                except OSError as error:  # a full disk, a read-only folder: the other files still go
                    notes.append(f"{path}: not written: {error.strerror or error}")
                    del changes[path]
        final.fixed = fixed
        final.changes = changes
        final.notes = notes
        return final

    def _fix_round(
        self, paths: Sequence[Path], accepted: list[Finding], overlay: dict[Path, bytes], originals: dict[Path, bytes]
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
            after = self.run(paths, trial)
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
            fixed = sum(1 for finding in accepted if all(Path(e.path) in applied for e in finding.fix.edits))  # type: ignore[union-attr]
            # Refused findings stand where this round's edits moved them.
            refusals = [replace(r, finding=_moved(r.finding, applied)) for r in refusals]
            return FixRound(trial, after, applied, refusals, fixed)
        return FixRound(overlay, None, {}, refusals, 0)

    def _write_events_helper(self, paths: Sequence[Path], write: bool) -> list[str]:
        """The standard events helper, written once where ``helper-module`` names it, in the
        rootdir of each folder named, so that the required-events fixes have it to call."""
        options = next((rule.options for rule in self.rules if rule.family == "required-events"), None)
        if options is None:
            return ["--write-events-helper: no required-events rule is selected"]
        notes = []
        for rootdir in sorted({self.finder.governing(path if path.is_dir() else path.parent).rootdir for path in paths}):
            if not write:
                notes.append(f"--write-events-helper: not written with --diff ({options['helper-module']} under {rootdir})")
                continue
            written = write_helper_module(rootdir, options)
            if written is not None:
                notes.append(f"wrote the standard helper `{options['helper']}` to {written}")
        return notes

    def _problem_finding(self, problem: WalkProblem) -> Finding:
        return _io_finding(problem.path, problem.message)


def _non_conflicting(findings: list[Finding]) -> list[Finding]:
    """Whole fixes whose edits do not overlap an edit of a fix taken before them."""
    accepted: list[Finding] = []
    taken: list[Edit] = []
    for finding in findings:
        edits = finding.fix.edits  # type: ignore[union-attr]
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
        for edit in finding.fix.edits:  # type: ignore[union-attr]
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
        touching = [f for f in accepted if any(Path(e.path) == path for e in f.fix.edits)]  # type: ignore[union-attr]
        try:
            before = SourceText.decode(_read(path, overlay))
        except OSError:
            refused += [Refusal(finding, f"{path.name} cannot be read", problem) for finding in touching]
            continue
        guilty = []
        for finding in touching:
            own = [e for e in finding.fix.edits if Path(e.path) == path]  # type: ignore[union-attr]
            alone = _parse_problem(before.apply(own).encode())
            if alone:
                guilty.append(Refusal(finding, DOES_NOT_PARSE, alone))
        if not guilty and len(touching) > 1:
            deferred += touching[1:]
        else:
            refused += guilty or [Refusal(finding, DOES_NOT_PARSE, problem) for finding in touching]
    return refused, deferred


def _edit_set(finding: Finding) -> frozenset[Edit]:
    return frozenset(finding.fix.edits)  # type: ignore[union-attr]


def _read(path: Path, overlay: dict[Path, bytes]) -> bytes:
    return overlay[path] if path in overlay else path.read_bytes()


def _parse_problem(data: bytes) -> str:
    try:
        cst.parse_module(data)
    except cst.ParserSyntaxError as error:
        return error.message
    return ""


def _identity(finding: Finding) -> tuple:
    """What makes a finding the same one after edits moved it: rule, file, position (moved by
    ``_moved``) and message, with the line numbers it cites (``conftest.py:12``) left out."""
    return (finding.rule, finding.path, finding.line, finding.column, _CITED_LINE.sub(":#", finding.message))


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
                finding, message=f"{finding.message}; fix not applied: {reason}", fix=None, data={**finding.data, "fix_not_applied": reason}
            )
        findings.append(finding)
    return RunResult(findings)


def _suppression_removal(project: Project, path: Path, suppression: Suppression) -> Optional[Edit]:
    try:
        source = SourceText.decode(project.read(path))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return None
    lines = source.text.splitlines()
    if suppression.line > len(lines):
        return None
    line = lines[suppression.line - 1]
    comment_start = suppression.column - 1
    if line[comment_start:].lstrip().startswith("#"):
        code_end = len(line[:comment_start].rstrip())
        if line.lstrip().startswith("#"):
            return None  # a comment alone on its line: leave the line to the author
        return Edit(str(path), suppression.line, code_end + 1, suppression.line, len(line) + 1, "")
    return None


def _io_finding(path: Path, message: str) -> Finding:
    return Finding("io-error", str(path), 1, 1, 1, 1, message)


def _config_finding(message: str) -> Finding:
    path, _, problem = message.partition(": ")
    return Finding("pytest-config", path, 1, 1, 1, 1, problem or message)


def unified_diff(path: Path, before: bytes, after: bytes, cwd: Path) -> str:
    try:
        name = path.relative_to(cwd).as_posix()
    except ValueError:
        name = path.as_posix()
    old = SourceText.decode(before).text.splitlines(keepends=True)
    new = SourceText.decode(after).text.splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, f"a/{name}", f"b/{name}"))
