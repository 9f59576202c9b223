"""click commands: options -> Settings -> engine -> output. No analysis here."""

from __future__ import annotations

import functools
import gc
import inspect
import json
import os
import shutil
import signal
import sys
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Optional

import click

from fixlint import __version__
from fixlint.config import Settings, SettingsFinder, expand_rule_names, load_settings
from fixlint.engine import baseline as baseline_file
from fixlint.engine.check import Engine, RunResult
from fixlint.engine.fix_loop import fix as run_fix_loop
from fixlint.engine.run_cache import RunCache
from fixlint.engine.suppression_comments import suppress as add_suppressions
from fixlint.errors import ConfigError
from fixlint.facts.file_pass import FilePass, default_jobs
from fixlint.facts.store import FactsCache
from fixlint.files.cache_dir import CACHE_DIR_NAME
from fixlint.files.cache_dir import clean as remove_cache
from fixlint.files.cache_dir import tag as cache_tag
from fixlint.files.display import display_path
from fixlint.graph import conflict_figures, draw, load
from fixlint.graph.model import ERROR_RULES
from fixlint.graph.render import LAYOUTS, render
from fixlint.output import FORMATS, FORMATS_WITH_EDITS
from fixlint.output import render as render_findings
from fixlint.output.diff import unified_diff
from fixlint.output.progress import ProgressLine
from fixlint.output.settings import render_settings
from fixlint.output.statistics import render_statistics
from fixlint.output.style import COLOR_CHOICES, Style, wants_color
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
            "--select",
            "rules",
            multiple=True,
            metavar="NAME",
            help="Rules, families or name prefixes (`fixture-`) to run (repeatable, comma lists too); "
            "default: the rules on by default.",
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
            "--output-format",  # ruff's name for it
            "output_format",
            type=click.Choice(FORMATS),
            default="text",
            show_default=True,
            help="Output format.",
        ),
        click.option(
            "--config",
            "config_file",
            multiple=True,
            metavar="FILE|KEY=VALUE",
            help="A TOML file of fixlint's settings for every file, instead of the nearest config; or one setting "
            'over every file\'s settings, as a TOML line (`fixture-scope.fix-to = "narrowest"`). Repeatable.',
        ),
        click.option(
            "--output-file",
            "-o",
            type=click.Path(path_type=Path, dir_okay=False),
            help="Write the findings to FILE, not stdout (warnings stay on stderr).",
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


def _reading_options(command: Callable) -> Callable:
    """How findings are shown to a person: colour, and what the fixes do."""
    command = click.option(
        "--show-fixes",
        is_flag=True,
        help="Show what each fix does: a diff under each finding (check), the list of fixes applied (fix).",
    )(command)
    return click.option(
        "--color",
        type=click.Choice(COLOR_CHOICES),
        default="auto",
        show_default=True,
        help="Colour in the text formats; auto: on a terminal, unless NO_COLOR is set (FORCE_COLOR forces it).",
    )(command)


def _project_options(command: Callable) -> Callable:
    """`--config`, `--jobs`, `--no-cache` and `--cache-dir`, as `check` takes them (for report,
    graph and suppress)."""
    for option in reversed(
        [
            click.option("--config", "config_file", multiple=True, metavar="FILE|KEY=VALUE", help="As for check."),
            click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, help="As for check."),
            click.option("--no-cache", is_flag=True, help="As for check."),
            click.option(
                "--cache-dir",
                type=click.Path(path_type=Path, file_okay=False),
                envvar="FIXLINT_CACHE_DIR",
                help="As for check.",
            ),
        ]
    ):
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
    paths: tuple[Path, ...], rules, extend_rules, ignores, configs: tuple[str, ...]
) -> tuple[Settings, list[str], list[Path], SettingsFinder]:
    """The run's settings (those of the first path: where the cache goes), its selection, its
    targets, and the settings of every other folder."""
    cwd = Path.cwd()
    targets = [Path(os.path.abspath(cwd / path)) for path in paths]
    for target in targets:
        if not target.exists() and not target.is_symlink():
            raise ConfigError(f"{target}: no such file or directory")
    explicit, overrides = _config_arguments(configs)
    finder = SettingsFinder(cwd, explicit, overrides, (tuple(rules), tuple(ignores), tuple(extend_rules)))
    start = (targets[0] if targets[0].is_dir() else targets[0].parent) if targets else cwd
    settings = load_settings(start, explicit, overrides)
    if not targets:
        targets = default_targets(cwd, ConfigFinder(settings.project_root))
    return settings, settings.selected_rules(tuple(rules), tuple(ignores), tuple(extend_rules)), targets, finder


def _config_arguments(configs: tuple[str, ...]) -> tuple[Optional[Path], list[str]]:
    """``--config`` as ruff reads it: a file, or a ``KEY=VALUE`` setting (an ``=`` in what is not a file)."""
    files = [Path(value) for value in configs if "=" not in value or Path(value).is_file()]
    if len(files) > 1:
        raise ConfigError("--config: one settings file at most (more settings: --config KEY=VALUE)")
    for file in files:
        if not file.is_file():
            raise ConfigError(f"--config {file}: no such file")
    overrides = [value for value in configs if Path(value) not in files]
    return (Path(os.path.abspath(files[0])) if files else None), overrides


def _engine(
    settings: Settings,
    selected: list[str],
    jobs: int,
    no_cache: bool,
    cache_dir: Optional[Path],
    finder: SettingsFinder,
) -> Engine:
    cache, run_cache, views_cache = None, None, None
    if not no_cache:
        directory = cache_dir or settings.cache_root / CACHE_DIR_NAME
        cache_tag(directory)
        cache, run_cache, views_cache = FactsCache(directory), RunCache(directory), ViewsCache(directory)
    file_pass = FilePass(cache, jobs or default_jobs())
    return Engine(settings, selected, finder, Path.cwd(), file_pass, run_cache, views_cache, _progress_line())


def _progress_line() -> Optional[ProgressLine]:
    """The phase and count of a run on stderr, only where stderr is a terminal."""
    if not sys.stderr.isatty():
        return None
    return ProgressLine(sys.stderr, float(os.environ.get("FIXLINT_PROGRESS_DELAY", "1")))


def _report(
    result: RunResult,
    output_format: str,
    unsafe: bool,
    quiet: bool,
    color: str,
    show_fixes: bool,
    output_file: Optional[Path] = None,
) -> None:
    # Long messages wrap at the terminal's width (COLUMNS, else the terminal's, else 100).
    width = min(max(shutil.get_terminal_size((100, 24)).columns, 60), 160)
    to_terminal = output_file is None and sys.stdout.isatty()
    text = render_findings(
        result.findings,
        output_format,
        cwd=Path.cwd(),
        rules=RULES,
        unsafe_fixes=unsafe,
        fixed_count=result.fixed,
        fixed=result.fixed_findings,
        style=Style(wants_color(color, to_terminal, os.environ)),
        width=width,
        show_fixes=show_fixes,
        quiet=quiet,
    )
    _emit(result, text, output_file)


def _emit(result: RunResult, text: str, output_file: Optional[Path]) -> None:
    """The findings' text to ``output_file`` or stdout, then the run's notes to stderr."""
    if output_file is not None:
        output_file.parent.mkdir(parents=True, exist_ok=True)
        output_file.write_text(text + "\n" if text else "", encoding="utf-8")
    elif text:
        click.echo(text, color=True)  # its colour, if any, was asked for: click would strip it in a pipe
    for note in result.notes:
        click.echo(f"fixlint: warning: {note}", err=True)


def _exit(result: RunResult, exit_zero: bool) -> None:
    sys.exit(EXIT_FINDINGS if result.findings and not exit_zero else EXIT_CLEAN)


@main.command()
@_common_options
@click.option("--unsafe-fixes", is_flag=True, help="Show unsafe fixes as available ([*]).")
@click.option(
    "--baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Report only the findings this baseline file does not hold [config: baseline].",
)
@click.option(
    "--write-baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Record today's findings in FILE (entries no longer found are dropped) and exit 0.",
)
@_reading_options
@click.option(
    "--show-settings", is_flag=True, help="Print the settings the first of PATHS is judged by, and where each is from."
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Print, instead of the findings, how many each rule made (most first), whether a fix is offered, "
    "and what the rule finds; JSON rows with --format json.",
)
@click.option("--timings", is_flag=True, help="Print the seconds of each phase and rule of the run to stderr.")
@_handle_errors
def check(
    paths,
    rules,
    extend_rules,
    ignores,
    output_format,
    config_file,
    output_file,
    exit_zero,
    quiet,
    jobs,
    no_cache,
    cache_dir,
    unsafe_fixes,
    baseline,
    write_baseline,
    color,
    show_fixes,
    show_settings,
    statistics,
    timings,
) -> None:
    """Report findings in PATHS (default: the current folder)."""
    if statistics and output_format not in ("text", "concise", "json"):
        raise ConfigError(f"--statistics prints a table (text, concise) or JSON rows, not --format {output_format}")
    settings, selected, targets, finder = _setup(paths, rules, extend_rules, ignores, config_file)
    if show_settings:
        _show_settings(targets[0], settings, finder)
        return
    known = _Baseline.read(baseline or settings.baseline) if write_baseline is None else None
    # Statistics say whether a fix is offered, not what it edits: no fix is planned for them.
    with_edits = (output_format in FORMATS_WITH_EDITS or show_fixes) and not statistics
    result = _engine(settings, selected, jobs, no_cache, cache_dir, finder).check(targets, with_edits=with_edits)
    if write_baseline is not None:
        written, dropped = baseline_file.write(write_baseline, result.findings, targets)
        gone = f" ({dropped} no longer found, dropped)" if dropped else ""
        click.echo(f"fixlint: wrote {_counted(written, 'entry', 'entries')} to {write_baseline}{gone}.", err=True)
        sys.exit(EXIT_CLEAN)
    if known is not None:
        result = known.without(result, targets, quiet)
    if statistics:
        _report_statistics(result, output_format == "json", unsafe_fixes, output_file)
    else:
        _report(result, output_format, unsafe_fixes, quiet, color, show_fixes, output_file)
    if timings:
        _report_timings(result)
    _exit(result, exit_zero)


def _show_settings(path: Path, settings: Settings, finder: SettingsFinder) -> None:
    folder = path if path.is_dir() else path.parent
    rootdir = ConfigFinder(settings.project_root).governing(folder).rootdir
    own = finder.for_directory(folder)
    environment = settings.environment(Path.cwd())
    click.echo(
        render_settings(
            path, own, rootdir, finder.for_directory(rootdir), finder.selected(own), Path.cwd(), environment
        )
    )


@dataclass
class _Baseline:
    """A baseline file, read before the run: a bad one stops the run before `fix` writes."""

    path: Path
    entries: list[baseline_file.Entry]

    @classmethod
    def read(cls, path: Optional[Path]) -> Optional[_Baseline]:
        return None if path is None else cls(path, baseline_file.load(path))

    def without(self, result: RunResult, targets: list[Path], quiet: bool) -> RunResult:
        """The findings the baseline does not hold; a line on stderr says how many it held, and how
        many of its entries no finding matches any more (fixed: ``--write-baseline`` drops them)."""
        comparison = baseline_file.compare(result.findings, self.entries, self.path.parent.absolute(), targets)
        if not quiet and (comparison.known or comparison.fixed):
            shown = display_path(str(self.path.absolute()), Path.cwd())
            said = f"fixlint: baseline {shown}: {_counted(comparison.known, 'finding')} not shown"
            if comparison.fixed:
                said += (
                    f"; {_counted(len(comparison.fixed), 'entry', 'entries')} fixed "
                    f"(`fixlint check --write-baseline {shown}` drops them)"
                )
            click.echo(said + ".", err=True)
        return replace(result, findings=comparison.new)


def _counted(number: int, noun: str, plural: str = "") -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def _report_statistics(result: RunResult, as_json: bool, unsafe: bool, output_file: Optional[Path]) -> None:
    _emit(result, render_statistics(result.findings, RULES, unsafe, as_json), output_file)


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
@click.option("--exit-non-zero-on-fix", is_flag=True, help="Exit 1 when anything was fixed, even if nothing remains.")
@_reading_options
@_fix_step_options
@_handle_errors
def fix(
    paths,
    rules,
    extend_rules,
    ignores,
    output_format,
    config_file,
    output_file,
    exit_zero,
    quiet,
    jobs,
    no_cache,
    cache_dir,
    unsafe_fixes,
    diff,
    exit_non_zero_on_fix,
    color,
    show_fixes,
    **steps_asked,
) -> None:
    """Apply fixes in PATHS, re-analyse and repeat until nothing changes, then report what is left."""
    if diff and (output_format != "text" or output_file is not None):
        # The diff is the output: a SARIF or JSON reader handed a diff would fail on it.
        raise click.UsageError("--diff prints a unified diff: it takes no --format and no --output-file")
    settings, selected, targets, finder = _setup(paths, rules, extend_rules, ignores, config_file)
    known = _Baseline.read(settings.baseline) if not diff else None
    engine = _engine(settings, selected, jobs, no_cache, cache_dir, finder)
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
    fixed_any = bool(result.changes)
    if known is not None:
        result = known.without(result, targets, quiet)
    _report(result, output_format, unsafe_fixes, quiet, color, show_fixes, output_file)
    if exit_non_zero_on_fix and fixed_any and not exit_zero:
        sys.exit(EXIT_FINDINGS)
    _exit(result, exit_zero)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "report_format", type=click.Choice(["markdown", "html"]), default="markdown", show_default=True
)
@click.option("--top", type=click.IntRange(min=0), default=5, show_default=True, help="Files shown in detail.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write to FILE, not stdout.")
@click.option("--rule", "--select", "rules", multiple=True, metavar="NAME", help="Rules to run, as for check.")
@click.option("--extend-select", "extend_rules", multiple=True, metavar="NAME", help="As for check.")
@click.option("--ignore", "ignores", multiple=True, metavar="NAME", help="Rules or families to skip.")
@_project_options
@click.option(
    "--layout",
    type=click.Choice(LAYOUTS),
    default="auto",
    envvar="FIXLINT_GRAPH_LAYOUT",
    show_default=True,
    help="Who lays out the html's fixture graphs, as for graph [env FIXLINT_GRAPH_LAYOUT].",
)
@_handle_errors
def report(
    paths, report_format, top, output, rules, extend_rules, ignores, config_file, jobs, no_cache, cache_dir, layout
) -> None:
    """Write the audit of the suite in PATHS: a summary, per file its five checks and fix priority,
    the common issues and the fixes in order. Exits 0 unless it cannot run."""
    settings, selected, targets, finder = _setup(paths, rules, extend_rules, ignores, config_file)
    engine = _engine(settings, selected, jobs, no_cache, cache_dir, finder)
    result = engine.check(targets, with_edits=False)
    audit = build_audit(
        result.findings,
        suite_files(targets, engine.finder, engine.excluded),
        rules=RULES,
        steps=FIX_STEPS,
        selected=selected,
        paths=" ".join(str(path) for path in paths) or ".",
        cwd=Path.cwd(),
    )
    if report_format == "html":
        detailed = [finding for file in audit.detailed(top) for finding in file.findings]
        figures = conflict_figures(
            _engine(settings, selected, jobs, no_cache, cache_dir, finder), detailed, Path.cwd(), layout
        )
        text = render_html(audit, top, figures)
    else:
        text = render_markdown(audit, top)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
    for note in result.notes:
        click.echo(f"fixlint: warning: {note}", err=True)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--test", "nodeid", metavar="NODEID", help="The graph one test sets up (a node id, as pytest prints it).")
@click.option(
    "--fixture",
    metavar="NAME",
    help="The graph around the fixtures of that name: what requests them, what they request.",
)
@click.option(
    "--format", "graph_format", type=click.Choice(["dot", "svg", "json", "html"]), default="dot", show_default=True
)
@click.option(
    "--layout",
    type=click.Choice(LAYOUTS),
    default="auto",
    envvar="FIXLINT_GRAPH_LAYOUT",
    show_default=True,
    help="Who lays out svg and html: Graphviz's dot, the pure-Python layout, or dot where installed "
    "[env FIXLINT_GRAPH_LAYOUT].",
)
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write to FILE, not stdout.")
@_project_options
@_handle_errors
def graph(paths, nodeid, fixture, graph_format, layout, output, config_file, jobs, no_cache, cache_dir) -> None:
    """Draw the fixture graph of PATHS (default: the current folder), of one test (--test) or around
    one fixture (--fixture): each fixture's scope, loop scope and definition, which definition
    overrides which, and in red the requests pytest fails on, with the error."""
    if nodeid and fixture:
        raise ConfigError("--test and --fixture: give one of them")
    if nodeid and not paths:
        # The test's own file, if the node id names one from here: only what it reaches is read.
        named = Path(nodeid.split("::", 1)[0])
        paths = (named,) if named.is_file() else ()
    settings, _, targets, finder = _setup(paths, (), (), (), config_file)
    engine = _engine(settings, list(ERROR_RULES), jobs, no_cache, cache_dir, finder)
    subject = " ".join(str(path) for path in paths) or "."
    drawn = draw(load(engine, targets), Path.cwd(), subject, nodeid, fixture)
    text = render(drawn, graph_format, layout)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--reason", default="", metavar="TEXT", help="Why, written after each new comment (`-- TEXT`).")
@click.option("--rule", "--select", "rules", multiple=True, metavar="NAME", help="Rules to suppress, as for check.")
@click.option("--extend-select", "extend_rules", multiple=True, metavar="NAME", help="As for check.")
@click.option("--ignore", "ignores", multiple=True, metavar="NAME", help="Rules or families to leave alone.")
@_project_options
@_handle_errors
def suppress(paths, reason, rules, extend_rules, ignores, config_file, jobs, no_cache, cache_dir) -> None:
    """Add a `# fixlint: ignore[rule]` comment for every finding in PATHS (ruff's --add-noqa), merged
    into the line's suppression if it has one. Exits 0 unless it cannot run."""
    if "\n" in reason or "\r" in reason:
        raise click.UsageError("--reason must be one line: it is written into a comment")
    settings, selected, targets, finder = _setup(paths, rules, extend_rules, ignores, config_file)
    added = add_suppressions(_engine(settings, selected, jobs, no_cache, cache_dir, finder), targets, reason)
    for note in added.notes:
        click.echo(f"fixlint: warning: {note}", err=True)
    files = len(added.changes)
    click.echo(f"Added {_counted(added.names, 'suppression')} in {_counted(files, 'file')}.", err=True)


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
