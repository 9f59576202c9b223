"""click commands: options -> Settings -> engine -> output. No analysis here."""

from __future__ import annotations

import functools
import gc
import inspect
import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Callable, Optional

import click

from fixlint import __version__
from fixlint.config import Settings, expand_rule_names, load_settings
from fixlint.engine.check import Engine, RunResult
from fixlint.engine.fix_loop import fix as run_fix_loop
from fixlint.engine.run_cache import RunCache
from fixlint.errors import ConfigError
from fixlint.facts.file_pass import FilePass, default_jobs
from fixlint.facts.store import FactsCache
from fixlint.files.cache_dir import CACHE_DIR_NAME
from fixlint.files.cache_dir import clean as remove_cache
from fixlint.files.cache_dir import tag as cache_tag
from fixlint.output import FORMATS, FORMATS_WITH_EDITS, render
from fixlint.output.diff import unified_diff
from fixlint.pytest_model.collection import default_targets
from fixlint.pytest_model.config import ConfigFinder
from fixlint.pytest_model.stored_views import ViewsCache
from fixlint.report.audit import build_audit, suite_files
from fixlint.report.html import render_html
from fixlint.report.markdown import render_markdown
from fixlint.rules.base import FixStep
from fixlint.rules.registry import FIX_STEPS, RULES

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 128 + signal.SIGINT
GC_THRESHOLDS = (100_000, 50, 1_000)  # CPython's defaults are (700, 10, 10)


def _common_options(command: Callable) -> Callable:
    options = [
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option(
            "--rule",
            "rules",
            multiple=True,
            metavar="NAME",
            help="Rules or families to run (repeatable, comma lists too); default: the rules on by default.",
        ),
        click.option(
            "--extend-select",
            "extend_rules",
            multiple=True,
            metavar="NAME",
            help="Rules or families to run beside the selected ones (a rule off by default).",
        ),
        click.option("--ignore", "ignores", multiple=True, metavar="NAME", help="Rules or families to skip."),
        click.option(
            "--format",
            "output_format",
            type=click.Choice(FORMATS),
            default="text",
            show_default=True,
            help="Output format.",
        ),
        click.option(
            "--config",
            "config_file",
            type=click.Path(path_type=Path, dir_okay=False),
            help="A TOML file with fixlint's settings, instead of the nearest pyproject.toml.",
        ),
        click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain."),
        click.option("--quiet", "-q", is_flag=True, help="Print findings only, no summary."),
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(min=0),
            default=0,
            show_default=True,
            help="Processes for the per-file pass; 0: one per core.",
        ),
        click.option(
            "--no-cache", is_flag=True, help="Neither read nor write the cache (of per-file facts and of whole runs)."
        ),
        click.option(
            "--cache-dir",
            type=click.Path(path_type=Path, file_okay=False),
            envvar="FIXLINT_CACHE_DIR",
            help=f"Where the cache lives [env FIXLINT_CACHE_DIR; default: {CACHE_DIR_NAME}/ at the project root].",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _handle_errors(command: Callable) -> Callable:
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ConfigError as error:
            click.echo(f"fixlint: error: {error}", err=True)
            sys.exit(EXIT_ERROR)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:  # Ctrl-C: the shell's convention, not "findings remain"
            click.echo("fixlint: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:  # `fixlint check | head`: the reader has gone, nothing to tell it
            # Python's own advice: point stdout at devnull, so that the flush at exit cannot fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_FINDINGS)
        except Exception:  # the last line of defence: a message and exit 2, never a bare traceback
            click.echo("fixlint: internal error; please report it with this text:", err=True)
            click.echo(traceback.format_exc(), err=True)
            sys.exit(EXIT_ERROR)

    wrapper.__signature__ = inspect.signature(command)  # type: ignore[attr-defined]
    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="fixlint")
def main() -> None:
    """fixlint: static analysis and codemods for pytest suites."""
    # A timeout, a cancelled CI job or pre-commit stopping us sends SIGTERM: unwind as on Ctrl-C,
    # so that a write in progress removes its temporary file.
    signal.signal(signal.SIGTERM, _terminated)
    # A run builds millions of small objects that live to its end and hold no cycles (facts,
    # fixture walks): with the default thresholds, the collector rescans them over and over, a
    # third of a run's time. Worker processes are forked with the same thresholds.
    gc.set_threshold(*GC_THRESHOLDS)


def run() -> None:
    """The console script: ``main``, then an exit that leaves the run's millions of objects to
    the operating system instead of freeing them one by one (seconds, on a large suite)."""
    try:
        main()
        status = 0
    except SystemExit as exit:  # click always ends this way
        status = _exit_status(exit.code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went after the last write: what it read is all it wanted
        pass
    os._exit(status)


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _terminated(signum: int, frame: object) -> None:
    sys.exit(128 + signum)


def _setup(
    paths: tuple[Path, ...], rules, extend_rules, ignores, config_file: Optional[Path]
) -> tuple[Settings, list[str], list[Path]]:
    cwd = Path.cwd()
    targets = [Path(os.path.abspath(cwd / path)) for path in paths]
    for target in targets:
        if not target.exists() and not target.is_symlink():
            raise ConfigError(f"{target}: no such file or directory")
    start = (targets[0] if targets[0].is_dir() else targets[0].parent) if targets else cwd
    settings = load_settings(start, config_file)
    if not targets:
        targets = default_targets(cwd, ConfigFinder(settings.project_root))
    return settings, settings.selected_rules(tuple(rules), tuple(ignores), tuple(extend_rules)), targets


def _engine(settings: Settings, selected: list[str], jobs: int, no_cache: bool, cache_dir: Optional[Path]) -> Engine:
    cache, run_cache, views_cache = None, None, None
    if not no_cache:
        directory = cache_dir or settings.cache_root / CACHE_DIR_NAME
        cache_tag(directory)
        cache, run_cache, views_cache = FactsCache(directory), RunCache(directory), ViewsCache(directory)
    file_pass = FilePass(cache, jobs or default_jobs(), _progress_bar())
    return Engine(settings, selected, Path.cwd(), file_pass, run_cache, views_cache)


def _progress_bar() -> Optional[Callable[[int, int], None]]:
    """A count on stderr once a run has taken a second, only where stderr is a terminal."""
    if not sys.stderr.isatty():
        return None
    started = time.monotonic()

    def show(done: int, total: int) -> None:
        if time.monotonic() - started < 1.0:
            return
        # The count stays on one line, which is cleared once all files are read.
        click.echo("\r\033[K" if done == total else f"\rfixlint: {done}/{total} files", err=True, nl=False)

    return show


def _report(result: RunResult, output_format: str, unsafe: bool, quiet: bool) -> None:
    cwd = Path.cwd()
    text = render(result.findings, output_format, cwd=cwd, rules=RULES, unsafe_fixes=unsafe, fixed_count=result.fixed)
    if quiet and output_format == "text":
        text = "\n".join(line for line in text.splitlines() if ":" in line and not line.startswith(("Found", "[*]")))
    if text:
        click.echo(text)
    for note in result.notes:
        click.echo(f"fixlint: warning: {note}", err=True)


def _exit(result: RunResult, exit_zero: bool) -> None:
    sys.exit(EXIT_FINDINGS if result.findings and not exit_zero else EXIT_CLEAN)


@main.command()
@_common_options
@click.option("--unsafe-fixes", is_flag=True, help="Show unsafe fixes as available ([*]).")
@click.option("--timings", is_flag=True, help="Print the seconds of each phase and rule of the run to stderr.")
@_handle_errors
def check(
    paths,
    rules,
    extend_rules,
    ignores,
    output_format,
    config_file,
    exit_zero,
    quiet,
    jobs,
    no_cache,
    cache_dir,
    unsafe_fixes,
    timings,
) -> None:
    """Report findings in PATHS (default: the current folder)."""
    settings, selected, targets = _setup(paths, rules, extend_rules, ignores, config_file)
    result = _engine(settings, selected, jobs, no_cache, cache_dir).check(
        targets, with_edits=output_format in FORMATS_WITH_EDITS
    )
    _report(result, output_format, unsafe_fixes, quiet)
    if timings:
        _report_timings(result)
    _exit(result, exit_zero)


def _report_timings(result: RunResult) -> None:
    """Slowest first; each piece without the pieces timed inside it, so that they add up."""
    if not result.timings:
        click.echo("fixlint: timings: the run cache answered (--no-cache to time a run)", err=True)
        return
    for name, seconds in sorted(result.timings.items(), key=lambda item: -item[1]):
        click.echo(f"fixlint: timings: {seconds:9.3f} s  {name}", err=True)
    click.echo(f"fixlint: timings: {sum(result.timings.values()):9.3f} s  total", err=True)


def _fix_step_options(command: Callable) -> Callable:
    """The rule families' steps that ``fix`` takes when asked (``--write-events-helper``)."""
    for step in reversed(FIX_STEPS):
        command = click.option(step.flag, _step_parameter(step), is_flag=True, help=step.help)(command)
    return command


def _step_parameter(step: FixStep) -> str:
    return step.flag.lstrip("-").replace("-", "_")


@main.command()
@_common_options
@click.option("--unsafe-fixes", is_flag=True, help="Apply unsafe fixes too (they may change what a test does).")
@click.option("--diff", is_flag=True, help="Write nothing; print a unified diff and exit 1 if anything would change.")
@_fix_step_options
@_handle_errors
def fix(
    paths,
    rules,
    extend_rules,
    ignores,
    output_format,
    config_file,
    exit_zero,
    quiet,
    jobs,
    no_cache,
    cache_dir,
    unsafe_fixes,
    diff,
    **steps_asked,
) -> None:
    """Apply fixes in PATHS, re-analyse and repeat until nothing changes, then report what is left."""
    settings, selected, targets = _setup(paths, rules, extend_rules, ignores, config_file)
    engine = _engine(settings, selected, jobs, no_cache, cache_dir)
    steps = [step for step in FIX_STEPS if steps_asked[_step_parameter(step)]]
    result = run_fix_loop(engine, targets, selected, unsafe_fixes, write=not diff, steps=steps)
    if diff:
        for path in sorted(result.changes):
            before, after = result.changes[path]
            click.echo(unified_diff(path, before, after, Path.cwd()), nl=False)
        for note in result.notes:
            click.echo(f"fixlint: warning: {note}", err=True)
        if not quiet:
            count = len(result.changes)
            click.echo(
                f"Would fix {result.fixed} finding{'s' if result.fixed != 1 else ''} "
                f"in {count} file{'s' if count != 1 else ''}.",
                err=True,
            )
        sys.exit(EXIT_FINDINGS if result.changes and not exit_zero else EXIT_CLEAN)
    _report(result, output_format, unsafe_fixes, quiet)
    _exit(result, exit_zero)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "report_format", type=click.Choice(["markdown", "html"]), default="markdown", show_default=True
)
@click.option("--top", type=click.IntRange(min=0), default=5, show_default=True, help="Files shown in detail.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write to FILE, not stdout.")
@click.option("--rule", "rules", multiple=True, metavar="NAME", help="Rules or families to run, as for check.")
@click.option("--extend-select", "extend_rules", multiple=True, metavar="NAME", help="As for check.")
@click.option("--ignore", "ignores", multiple=True, metavar="NAME", help="Rules or families to skip.")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False), help="As for check.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, help="As for check.")
@click.option("--no-cache", is_flag=True, help="As for check.")
@click.option(
    "--cache-dir", type=click.Path(path_type=Path, file_okay=False), envvar="FIXLINT_CACHE_DIR", help="As for check."
)
@_handle_errors
def report(
    paths, report_format, top, output, rules, extend_rules, ignores, config_file, jobs, no_cache, cache_dir
) -> None:
    """Write the audit of the suite in PATHS: a summary, per file its five checks and fix priority,
    the common issues and the fixes in order. Exits 0 unless it cannot run."""
    settings, selected, targets = _setup(paths, rules, extend_rules, ignores, config_file)
    result = _engine(settings, selected, jobs, no_cache, cache_dir).check(targets, with_edits=False)
    audit = build_audit(
        result.findings,
        suite_files(settings, targets),
        rules=RULES,
        steps=FIX_STEPS,
        selected=selected,
        paths=" ".join(str(path) for path in paths) or ".",
        cwd=Path.cwd(),
    )
    text = (render_html if report_format == "html" else render_markdown)(audit, top)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
    for note in result.notes:
        click.echo(f"fixlint: warning: {note}", err=True)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    envvar="FIXLINT_CACHE_DIR",
    help="The cache to remove [env FIXLINT_CACHE_DIR].",
)
@_handle_errors
def clean(paths: tuple[Path, ...], cache_dir: Optional[Path]) -> None:
    """Remove fixlint's cache (of the project at PATHS, default: the current folder)."""
    folders = (
        [cache_dir]
        if cache_dir
        else [
            load_settings(Path(os.path.abspath(p)) if paths else Path.cwd()).cache_root / CACHE_DIR_NAME
            for p in (paths or (Path("."),))
        ]
    )
    for folder in folders:
        if remove_cache(folder):
            click.echo(f"removed {folder}")


@main.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_rules(output_format: str) -> None:
    """List every rule: name, family, on by default, fix."""
    rows = [
        (
            rule.name,
            rule.family,
            "on" if rule.default_enabled else "off",
            rule.fix.value if rule.fix else "none",
            rule.summary,
        )
        for rule in RULES.values()
    ]
    if output_format == "json":
        keys = ("name", "family", "default", "fix", "summary")
        click.echo(json.dumps([dict(zip(keys, row)) for row in rows], indent=2))
        return
    widths = [max(len(row[i]) for row in rows + [("NAME", "FAMILY", "DEFAULT", "FIX", "")]) for i in range(4)]
    header = ("NAME", "FAMILY", "DEFAULT", "FIX", "SUMMARY")
    for row in [header, *rows]:
        click.echo("  ".join(cell.ljust(widths[i]) if i < 4 else cell for i, cell in enumerate(row)).rstrip())


@main.command()
@click.argument("name")
@_handle_errors
def explain(name: str) -> None:
    """Show the documentation of a rule."""
    names = expand_rule_names((name,), "explain")
    for index, rule_name in enumerate(names):
        rule = RULES[rule_name]
        if index:
            click.echo()
        click.echo(f"# {rule.name} ({rule.family})\n")
        click.echo(f"{rule.summary}.\n")
        click.echo(
            f"Fix: {rule.fix.value if rule.fix else 'none'}. "
            f"On by default: {'yes' if rule.default_enabled else 'no'}.\n"
        )
        click.echo(inspect.cleandoc(rule.__doc__ or ""))
