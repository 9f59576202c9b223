"""The per-file pass (bytes -> facts), the project pass (facts -> findings) and the fix loop."""

from __future__ import annotations

import difflib
import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence

import libcst as cst

from fixlint.codemods.required_events import write_helper_module
from fixlint.codemods.source_text import SourceText, edits_overlap, write_atomically
from fixlint.config import Settings, expand_rule_names
from fixlint.discovery import ConfigFinder, WalkProblem, is_excluded, iter_modules, iter_source_files
from fixlint.file_pass import FilePass
from fixlint.facts import Suppression
from fixlint.findings import Applicability, Edit, Finding, Fix
from fixlint.project import Project, SourceFile
from fixlint.rules.registry import RULES

MAX_FIX_ROUNDS = 10


@dataclass
class RunResult:
    findings: list[Finding]
    fixed: int = 0
    # path -> (bytes before, bytes after) for every file a fix run changed (or would change)
    changes: dict[Path, tuple[bytes, bytes]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # things the user should know, for stderr


class Engine:
    def __init__(self, settings: Settings, selected: Sequence[str], cwd: Path, file_pass: Optional[FilePass] = None) -> None:
        self.settings = settings
        self.selected = list(selected)
        self.cwd = cwd
        self.finder = ConfigFinder(settings.project_root)
        self.rules = [
            RULES[name](settings.options.get(RULES[name].family)) for name in self.selected if name in RULES
        ]
        self.file_pass = file_pass or FilePass()

    # -- the project pass -----------------------------------------------------------------
    def run(self, paths: Sequence[Path], overlay: Optional[dict[Path, bytes]] = None) -> RunResult:
        overlay = overlay or {}
        problems: list[WalkProblem] = []
        reported = list(iter_source_files(paths, self.finder, self.settings.exclude, self.settings.project_root, problems))
        findings: list[Finding] = [self._problem_finding(problem) for problem in problems]

        def read(path: Path) -> bytes:
            return overlay[path] if path in overlay else path.read_bytes()

        def load(path: Path) -> Optional[SourceFile]:
            try:
                data = read(path)
            except OSError as error:
                findings.append(_io_finding(path, f"cannot read: {error.strerror or error}"))
                return None
            return SourceFile(path, self.file_pass.facts(path, data), self.finder.governing(path.parent))

        project = Project({}, load, read, lambda top: iter_modules(top, self.finder))
        self.file_pass.prefetch(reported, read)
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
            elif not file.is_test_module and file.facts.fixtures:
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
        if write_events_helper:
            notes += self._write_events_helper(paths, write)
        for _ in range(MAX_FIX_ROUNDS):
            result = self.run(paths, overlay)
            applicable = [
                finding
                for finding in result.findings
                if finding.fix is not None
                and finding.rule in fix_rules
                and (finding.fix.applicability is Applicability.SAFE or unsafe)
                and finding.fix.edits  # computed only for fixes that may be applied
            ]
            accepted = _non_conflicting(applicable)
            changed = self._apply(accepted, overlay, originals, notes)
            fixed += sum(1 for finding in accepted if all(Path(e.path) in changed for e in finding.fix.edits))  # type: ignore[union-attr]
            if not changed:
                break
        final = self.run(paths, overlay)
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
                write_atomically(path, after)
        final.fixed = fixed
        final.changes = changes
        final.notes = notes
        return final

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

    def _apply(
        self, findings: list[Finding], overlay: dict[Path, bytes], originals: dict[Path, bytes], notes: list[str]
    ) -> set[Path]:
        edits_by_path: dict[Path, set[Edit]] = {}
        for finding in findings:
            for edit in finding.fix.edits:  # type: ignore[union-attr]
                edits_by_path.setdefault(Path(edit.path), set()).add(edit)
        changed: set[Path] = set()
        for path, edits in edits_by_path.items():
            try:
                before = overlay[path] if path in overlay else path.read_bytes()
            except OSError as error:
                notes.append(f"{path}: cannot read: {error.strerror or error}")
                continue
            originals.setdefault(path, before)
            source = SourceText.decode(before)
            after = source.apply(edits).encode()
            if after == before:
                continue
            try:
                cst.parse_module(after)
            except cst.ParserSyntaxError as error:
                notes.append(f"{path}: a fix produced code that does not parse; not applied ({error.message})")
                continue
            overlay[path] = after
            changed.add(path)
        return changed

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
