"""A run: the files named, their facts (the per-file pass), and the project pass, facts -> findings,
filtered by selection, report scope, per-file ignores and suppressions. ``check`` answers from
the run cache when it can."""

from __future__ import annotations

import fnmatch
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Optional

from fixlint.config import Settings, expand_rule_names
from fixlint.engine.run_cache import RunCache
from fixlint.engine.suppressions import apply_suppressions
from fixlint.facts.file_pass import FilePass
from fixlint.files import fs
from fixlint.files.walk import WalkProblem, in_walk, is_excluded
from fixlint.findings import Finding
from fixlint.modules import SourceFile
from fixlint.pytest_model.collection import iter_modules, iter_source_files
from fixlint.pytest_model.config import ConfigFinder
from fixlint.pytest_model.project import Project, is_test_module
from fixlint.pytest_model.stored_views import ViewsCache
from fixlint.rules.registry import RULES
from fixlint.stopwatch import Stopwatch


@dataclass
class RunResult:
    findings: list[Finding]
    fixed: int = 0
    # path -> (bytes before, bytes after) for every file a fix run changed (or would change)
    changes: dict[Path, tuple[bytes, bytes]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # things the user should know, for stderr
    # Seconds per piece of the run (``Stopwatch``); empty when the run cache answered.
    timings: dict[str, float] = field(default_factory=dict)


def _listed(paths: Sequence[Path]) -> str:
    cwd = Path.cwd()
    shown = [os.path.relpath(path, cwd) if path.is_absolute() else str(path) for path in paths]
    return ", ".join(shown)


def settle_fix(finding: Finding) -> Finding:
    """The finding with its fix's edits computed, if they are given as a function (inside the
    journal, so that the run cache's entry keeps them and what they read is noted). A fix whose
    plan declines is none, and the message says why, as a rule says it of a fix it declines at once."""
    if finding.fix is None or not finding.fix.declined:
        return finding
    return replace(finding, message=f"{finding.message}; no fix: {finding.fix.declined}", fix=None)


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
        self.rules = [RULES[name](settings.options.get(RULES[name].family)) for name in self.selected if name in RULES]
        self.file_pass = file_pass or FilePass()
        self.file_pass.function_bodies = self._reads_bodies
        self.run_cache = run_cache
        self.views_cache = views_cache

    def _reads_bodies(self, path: Path) -> bool:
        config = self.finder.governing(path.parent)
        return any(rule.reads_bodies(path, config) for rule in self.rules)

    def check(self, paths: Sequence[Path], with_edits: bool) -> RunResult:
        """``run``, answered by the run cache when every answer the cached run got from the
        filesystem still holds. ``with_edits``: the fixes' edits will be read (and kept)."""
        if self.run_cache is None:
            return self._run_settled(paths, with_edits)
        key = self.run_cache.key((self.settings, self.selected, [str(path) for path in paths], with_edits))
        cached = self.run_cache.get(key, self.file_pass.digest)
        if cached is not None:
            return RunResult(cached[0], notes=cached[1])
        with fs.journal() as questions:
            result = self._run_settled(paths, with_edits)
        self.run_cache.put(key, questions, result.findings, result.notes)
        return result

    def _run_settled(self, paths: Sequence[Path], with_edits: bool) -> RunResult:
        result = self.run(paths)
        if with_edits:
            started = time.perf_counter()
            result.findings = [settle_fix(finding) for finding in result.findings]
            result.timings["fix plans"] = time.perf_counter() - started
        return result

    # -- the project pass -----------------------------------------------------------------
    def run(self, paths: Sequence[Path], overlay: Optional[dict[Path, bytes]] = None) -> RunResult:
        overlay = overlay or {}
        stopwatch = Stopwatch()
        problems: list[WalkProblem] = []
        with stopwatch.timing("walk"):
            reported = list(
                iter_source_files(paths, self.finder, self.settings.exclude, self.settings.project_root, problems)
            )
        findings: list[Finding] = [_io_finding(problem.path, problem.message) for problem in problems]

        def read(path: Path) -> bytes:
            return overlay[path] if path in overlay else fs.read_bytes(path)

        def read_source(path: Path) -> bytes:
            return overlay[path] if path in overlay else fs.read_for_facts(path)

        def load(path: Path) -> Optional[SourceFile]:
            with stopwatch.timing("file facts"):  # those the per-file pass did not make: parsed here
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

        # The fix loop's later runs parse only the files fixed so far, and a process already
        # holding a project is not forked: its workers would share, then copy, its memory.
        def prefetch(paths: Sequence[Path]) -> None:
            self.file_pass.prefetch(paths, read_source, parallel=not overlay)

        project = Project(
            {},
            load,
            read,
            lambda top: iter_modules(top, self.finder),
            views=self.views_cache,
            stopwatch=stopwatch,
            prefetch=prefetch,
        )
        with self.file_pass.workers():
            with stopwatch.timing("per-file pass"):
                prefetch(reported)
            with stopwatch.timing("project load"):
                for path in reported:
                    project.source(path)
                for path in self._reached_files(reported, project):
                    project.source(path)
            if any(rule.reads_imported_modules for rule in self.rules):
                project.preload_imported_modules()
        report_set = {str(path) for path in reported}
        for config_error in sorted({file.config.error for file in project.files.values() if file.config.error}):
            findings.append(_config_finding(config_error))
        findings += _syntax_findings(project, reported)
        # Problems with the input are always reported, whatever rules are selected (as ruff does).
        rule_findings: list[Finding] = []
        for rule in self.rules:
            with stopwatch.timing(f"rule {rule.name}"):
                rule_findings += rule.check_project(project)
        with stopwatch.timing("filters and suppressions"):
            helpers = self._helper_modules(paths, reported, project)
            report_set.update(str(path) for path in helpers)
            findings += _syntax_findings(project, helpers)
            selected = set(self.selected)
            findings += [
                finding
                for finding in rule_findings
                if finding.rule in selected
                and (finding.path in report_set or any(path in report_set for path in finding.concerns))
                and not self._ignored_for_file(finding)
                and not is_excluded(Path(finding.path), self.settings.exclude, self.settings.project_root)
            ]
            findings = apply_suppressions(findings, project, report_set, self.selected)
        # As ruff warns: a folder of no Python file, or a README named, is not "All checks passed!".
        notes = [] if reported or problems else [f"No Python files found under {_listed(paths)}"]
        return RunResult(sorted(set(findings), key=lambda f: f.sort_key), notes=notes, timings=stopwatch.seconds)

    def _helper_modules(self, paths: Sequence[Path], reported: list[Path], project: Project) -> list[Path]:
        """The modules read for what the tests import from them that lie under a folder named:
        a run naming them would report them, so this one does. Each folder is judged once."""
        folders = [path for path in paths if fs.is_dir(path)]
        walked: dict[Path, bool] = {}
        helpers = []
        for path in sorted(set(project.files) - set(reported)):
            if path.parent not in walked:
                walked[path.parent] = any(in_walk(path.parent, folder) for folder in folders)
            if walked[path.parent] and not is_excluded(path, self.settings.exclude, self.settings.project_root):
                helpers.append(path)
        return helpers

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
        return (
            list(iter_source_files(reach, self.finder, self.settings.exclude, self.settings.project_root, []))
            if reach
            else []
        )

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

    def family_options(self, family: str) -> Optional[Mapping[str, Any]]:
        """The options of a family's rules in this run; None when none of them is selected."""
        return next((rule.options for rule in self.rules if rule.family == family), None)

    def rootdirs(self, paths: Sequence[Path]) -> list[Path]:
        """The rootdirs of the paths named."""
        return sorted({self.finder.governing(path if path.is_dir() else path.parent).rootdir for path in paths})


def _syntax_findings(project: Project, paths: Sequence[Path]) -> list[Finding]:
    findings = []
    for path in paths:
        file = project.files.get(path)
        if file is not None and file.facts.syntax_error is not None:
            error = file.facts.syntax_error
            findings.append(
                Finding("syntax-error", str(path), error.line, error.column, error.line, error.column, error.message)
            )
    return findings


def _io_finding(path: Path, message: str) -> Finding:
    return Finding("io-error", str(path), 1, 1, 1, 1, message)


def _config_finding(message: str) -> Finding:
    path, _, problem = message.partition(": ")
    return Finding("pytest-config", path, 1, 1, 1, 1, problem or message)
