"""A run: the files named, their facts (the per-file pass), and the project pass, facts -> findings,
filtered by selection, report scope, per-file ignores and suppressions. ``check`` answers from
the run cache when it can."""

from __future__ import annotations

import fnmatch
import json
import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Optional, Protocol

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from fixlint.config import Settings, SettingsFinder, expand_rule_names
from fixlint.engine.run_cache import RunCache
from fixlint.engine.suppressions import apply_suppressions
from fixlint.facts.file_pass import FilePass
from fixlint.files import fs
from fixlint.files.display import shown_in_message
from fixlint.files.walk import WalkProblem, in_walk, is_excluded
from fixlint.findings import Finding
from fixlint.modules import SourceFile
from fixlint.pytest_model.collection import iter_modules, iter_source_files
from fixlint.pytest_model.config import ConfigFinder, project_table
from fixlint.pytest_model.project import Project, is_test_module
from fixlint.pytest_model.stored_views import ViewsCache
from fixlint.rules.base import Rule
from fixlint.rules.registry import RULES
from fixlint.stopwatch import Stopwatch


class Progress(Protocol):
    """Where a run says how far it is (a terminal's progress line)."""

    def __call__(self, phase: str, done: int, total: int) -> None: ...
    def clear(self) -> None: ...


@dataclass
class RunResult:
    findings: list[Finding]
    fixed: int = 0
    fixed_findings: list[Finding] = field(default_factory=list)  # what a fix run fixed, where it was
    # path -> (bytes before, bytes after) for every file a fix run changed (or would change)
    changes: dict[Path, tuple[bytes, bytes]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # things the user should know, for stderr
    # Seconds per piece of the run (``Stopwatch``); empty when the run cache answered.
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class Loaded:
    """A run's files read into a Project, before any rule: the files named (and found in the
    folders named), and the findings reading them made (unreadable files, walk problems)."""

    project: Project
    reported: list[Path]
    findings: list[Finding]
    empty: bool  # nothing named is a Python file
    stopwatch: Stopwatch  # the run's timings so far


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
        settings_finder: SettingsFinder,
        cwd: Path,
        file_pass: Optional[FilePass] = None,
        run_cache: Optional[RunCache] = None,
        views_cache: Optional[ViewsCache] = None,
        progress: Optional[Progress] = None,
    ) -> None:
        # The run's settings and selection: those of the first path named (the run cache's key,
        # the fix steps' options). Each file is judged by its own (``settings_finder``).
        self.settings = settings
        self.selected = list(selected)
        self.settings_finder = settings_finder
        self.cwd = cwd
        self.finder = ConfigFinder(settings.project_root)
        self.environment = settings.environment(cwd)  # the suite's Python environment, for the whole run
        self._instances: dict[tuple[str, str], Rule] = {}
        self._rules_by_dir: dict[Path, list[Rule]] = {}
        self.rules = [self._rule(name, settings) for name in self.selected if name in RULES]
        self.file_pass = file_pass or FilePass()
        self.file_pass.function_bodies = self._reads_bodies
        self.file_pass.globals_read = self._reads_globals
        self.run_cache = run_cache
        self.views_cache = views_cache
        self.progress = progress
        self.stage = ""  # said before each phase: the fix loop's round
        if progress is not None:
            self.file_pass.progress = lambda done, total: self._progress("reading files", done, total)

    def _progress(self, phase: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(self.stage + phase, done, total)

    def settings_in(self, directory: Path) -> Settings:
        return self.settings_finder.for_directory(directory)

    def _selected_in(self, directory: Path) -> list[str]:
        return self.settings_finder.selected(self.settings_finder.for_directory(directory))

    def _rule(self, name: str, settings: Settings) -> Rule:
        """One rule object for each set of its family's options."""
        options = settings.options.get(RULES[name].family)
        key = (name, json.dumps(options, sort_keys=True, default=str))
        if key not in self._instances:
            self._instances[key] = RULES[name](options)
        return self._instances[key]

    def _rules_in(self, directory: Path) -> list[Rule]:
        """The rules that judge the files of a folder: those its settings select, with the
        options of the settings of its rootdir (the project the rules model is pytest's)."""
        if directory not in self._rules_by_dir:
            options_from = self.settings_in(self.finder.governing(directory).rootdir)
            self._rules_by_dir[directory] = [
                self._rule(name, options_from) for name in self._selected_in(directory) if name in RULES
            ]
        return self._rules_by_dir[directory]

    def excluded(self, path: Path) -> bool:
        """The ``exclude`` globs of the settings that govern ``path`` leave it out."""
        settings = self.settings_in(path.parent)
        return is_excluded(path, settings.exclude, settings.project_root)

    def _reads_bodies(self, path: Path) -> bool:
        config = self.finder.governing(path.parent)
        return any(rule.reads_bodies(path, config) for rule in self._rules_in(path.parent))

    def _reads_globals(self, path: Path) -> bool:
        config = self.finder.governing(path.parent)
        return any(rule.reads_globals(path, config) for rule in self._rules_in(path.parent))

    def check(self, paths: Sequence[Path], with_edits: bool) -> RunResult:
        """``run``, answered by the run cache when every answer the cached run got from the
        filesystem still holds. ``with_edits``: the fixes' edits will be read (and kept)."""
        if self.run_cache is None:
            return self._run_settled(paths, with_edits)
        # The working folder too: the paths inside messages are shown from it.
        key = self.run_cache.key(
            (self.settings, self.selected, [str(path) for path in paths], with_edits, self.cwd), self.environment
        )
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
    def load(self, paths: Sequence[Path], overlay: Optional[dict[Path, bytes]] = None) -> Loaded:
        """The files named and all they reach, read into a Project (``fixlint graph`` draws from it)."""
        overlay = overlay or {}
        stopwatch = Stopwatch()
        problems: list[WalkProblem] = []
        with stopwatch.timing("walk"):
            reported = list(iter_source_files(paths, self.finder, self.excluded, problems))
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
            environment=self.environment,
        )
        project.progress = lambda done, total: self._progress("project pass: test modules analysed", done, total)
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
        return Loaded(project, reported, findings, empty=not reported and not problems, stopwatch=stopwatch)

    def run(self, paths: Sequence[Path], overlay: Optional[dict[Path, bytes]] = None) -> RunResult:
        loaded = self.load(paths, overlay)
        project, reported, findings, stopwatch = loaded.project, loaded.reported, loaded.findings, loaded.stopwatch
        report_set = {str(path) for path in reported}
        for config_error in sorted({file.config.error for file in project.files.values() if file.config.error}):
            findings.append(_config_finding(config_error))
        # Problems with the input are always reported, whatever rules are selected (as ruff does).
        rules = list({id(rule): rule for path in project.files for rule in self._rules_in(path.parent)}.values())
        rule_findings: list[tuple[Rule, Finding]] = []
        for done, rule in enumerate(rules):
            self._progress(f"project pass ({rule.name})", done, len(rules))
            with stopwatch.timing(f"rule {rule.name}"):
                rule_findings += [(rule, finding) for finding in rule.check_project(project)]
        with stopwatch.timing("filters and suppressions"):
            helpers = self._helper_modules(paths, reported, project)
            report_set.update(str(path) for path in helpers)
            syntax, unreadable_here = _syntax_findings(project, [*reported, *helpers])
            findings += syntax
            findings += [
                finding
                for rule, finding in rule_findings
                if (finding.path in report_set or any(path in report_set for path in finding.concerns))
                and any(rule is judge for judge in self._rules_in(Path(finding.path).parent))
                and not self._ignored_for_file(finding)
                and not self.excluded(Path(finding.path))
            ]
            findings = self._suppressed(findings, project, report_set)
        # As ruff warns: a folder of no Python file, or a README named, is not "All checks passed!".
        notes = [f"No Python files found under {_listed(paths)}"] if loaded.empty else []
        notes += _newer_python_notes(unreadable_here)
        if self.progress is not None:
            self.progress.clear()
        findings = [replace(f, message=shown_in_message(f.message, self.cwd)) for f in findings]
        return RunResult(sorted(set(findings), key=lambda f: f.sort_key), notes=notes, timings=stopwatch.seconds)

    def _suppressed(self, findings: list[Finding], project: Project, report_set: set[str]) -> list[Finding]:
        """``apply_suppressions`` for each selection apart: a suppression is judged by what ran
        on its file."""
        groups: dict[tuple[str, ...], tuple[list[Finding], set[str]]] = {}
        for finding in findings:
            groups.setdefault(tuple(self._selected_in(Path(finding.path).parent)), ([], set()))[0].append(finding)
        for path in report_set:
            groups.setdefault(tuple(self._selected_in(Path(path).parent)), ([], set()))[1].add(path)
        return [
            kept
            for selected, (found, reported) in groups.items()
            for kept in apply_suppressions(found, project, reported, selected)
        ]

    def _helper_modules(self, paths: Sequence[Path], reported: list[Path], project: Project) -> list[Path]:
        """The modules read for what the tests import from them that lie under a folder named:
        a run naming them would report them, so this one does. Each folder is judged once."""
        folders = [path for path in paths if fs.is_dir(path)]
        walked: dict[Path, bool] = {}
        helpers = []
        for path in sorted(set(project.files) - set(reported)):
            if path.parent not in walked:
                walked[path.parent] = any(in_walk(path.parent, folder) for folder in folders)
            if walked[path.parent] and not self.excluded(path):
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
        return list(iter_source_files(reach, self.finder, self.excluded, [])) if reach else []

    def _ignored_for_file(self, finding: Finding) -> bool:
        settings = self.settings_in(Path(finding.path).parent)
        if not settings.per_file_ignores:
            return False
        try:
            relative = Path(finding.path).relative_to(settings.project_root).as_posix()
        except ValueError:
            relative = Path(finding.path).as_posix()
        for glob, names in settings.per_file_ignores.items():
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


def _syntax_findings(
    project: Project, paths: Sequence[Path]
) -> tuple[list[Finding], dict[tuple[tuple[int, int], str], list[Path]]]:
    """The syntax errors of the files, and apart (by the Python they need and the project's
    ``requires-python``) those written for a later Python that the project requires: they are
    this interpreter's limit, not the suite's error."""
    findings = []
    unreadable_here: dict[tuple[tuple[int, int], str], list[Path]] = {}
    requirements: dict[Path, Optional[str]] = {}
    for path in paths:
        file = project.files.get(path)
        if file is None or file.facts.syntax_error is None:
            continue
        error = file.facts.syntax_error
        required = _requires_python(path.parent, requirements) if error.needs else None
        if error.needs and required and _requires_a_later_python(required, error.needs):
            unreadable_here.setdefault((error.needs, required), []).append(path)
            continue
        findings.append(
            Finding("syntax-error", str(path), error.line, error.column, error.line, error.column, error.message)
        )
    return findings, unreadable_here


def _requires_python(folder: Path, seen: dict[Path, Optional[str]]) -> Optional[str]:
    """``requires-python`` of the nearest pyproject.toml above ``folder`` that has a ``[project]``."""
    if folder not in seen:
        found: Optional[str] = None
        project = project_table(folder)
        if project is not None:
            value = project.get("requires-python")
            found = value if isinstance(value, str) else None
        elif folder.parent != folder:
            found = _requires_python(folder.parent, seen)
        seen[folder] = found
    return seen[folder]


def _requires_a_later_python(required: str, needs: tuple[int, int]) -> bool:
    """The project's ``requires-python`` admits the Python the syntax needs and not this one."""
    try:
        specifiers = SpecifierSet(required)
    except InvalidSpecifier:
        return False
    here = "{}.{}".format(*sys.version_info[:2])
    return not specifiers.contains(here) and specifiers.contains("{}.{}".format(*needs))


def _newer_python_notes(unreadable_here: dict[tuple[tuple[int, int], str], list[Path]]) -> list[str]:
    here = "{}.{}".format(*sys.version_info[:2])
    notes = []
    for (needs, required), paths in sorted(unreadable_here.items()):
        version = "{}.{}".format(*needs)
        first = _listed(sorted(paths)[:3])
        more = f" and {len(paths) - 3} more" if len(paths) > 3 else ""
        them = "them" if len(paths) > 1 else "it"
        notes.append(
            f"{len(paths)} file{'s' if len(paths) > 1 else ''} use{'' if len(paths) > 1 else 's'} the syntax of "
            f"Python {version}, which the project requires (requires-python = {required!r}); this is Python "
            f"{here}, which cannot read {them}: run fixlint on Python {version} or later to check {them} "
            f"({first}{more})"
        )
    return notes


def _io_finding(path: Path, message: str) -> Finding:
    return Finding("io-error", str(path), 1, 1, 1, 1, message)


def _config_finding(message: str) -> Finding:
    path, _, problem = message.partition(": ")
    return Finding("pytest-config", path, 1, 1, 1, 1, problem or message)
