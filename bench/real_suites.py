#!/usr/bin/env python3
"""fixlint on real public pytest suites.

    python bench/real_suites.py [--suites NAME,...] [--mirrors /work/.mirror] [--work DIR]
                                [--sample 20] [--seed 0] [--timeout 1800] [--jobs 2]
                                [--fix [--envs DIR] [--test-files 40] [--per-test-timeout 60]]
    python bench/real_suites.py --summary [--suites NAME,...]

For each suite of bench/suites.toml (or those named by --suites):
  1. extract its pinned commit from the bare git mirror <mirrors>/<owner>+<name>/repo into
     <work>/<name> (.py .pyi .ini .toml .cfg files only; blobs the mirror lacks are skipped and
     counted); an extraction of the same commit is reused;
  2. measure, each in a subprocess with the run folder as cwd:
       (a) libcst.parse_module of every .py file under the folder, one process (the baseline)
       (b) fixlint check --no-cache --exit-zero --format json .   (killed after --timeout)
     wall time and peak memory (bench/run.py's run_measured), the ratio (b)/(a), findings per
     rule, and a reproducible (--seed) random sample of up to --sample findings per rule;
  3. with --fix, on a fresh copy: pytest --collect-only before, fixlint fix --unsafe-fixes,
     every changed .py file must still parse (ast and libcst), a second fix --diff must change
     nothing, pytest --collect-only after: the files that collected before and fail after; then
     the tests the fix can change (the test files it edited, and up to --test-files tests below
     an edited conftest or helper) run before and after the fix: the tests that passed before
     and do not after. pytest runs in the suite's own environment where suites.toml gives one
     ([suite.env]: a venv under --envs with the suite's requirements, made once and reused).

Writes a Markdown report to stdout and appends it to bench/results/<date>-<name>.md; the
samples go to bench/judgments/<name>.toml, verdicts to be filled by a person (verdicts already
given to the same finding -- same rule, path and message -- are kept). --summary prints the
precision per suite and rule from the judged entries.

Stdlib only, plus libcst (the parse baseline and the fix check; tomli before Python 3.11); Linux
(/proc for memory, coreutils `timeout` for the time limit). No suite's code is kept in this
repository: only paths, line numbers, rule names, fixlint's messages and judgments.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import hashlib
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict

try:
    import tomllib
except ImportError:  # Python < 3.11: the backport, which fixlint itself uses there
    import tomli as tomllib  # type: ignore[no-redef]

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import run as bench_run  # noqa: E402  (bench/run.py: run_measured, the peak memory of a process tree)

SUITES_FILE = os.path.join(HERE, "suites.toml")
RESULTS_DIR = os.path.join(HERE, "results")
JUDGMENTS_DIR = os.path.join(HERE, "judgments")
DEFAULT_MIRRORS = "/work/.mirror"
DEFAULT_WORK = os.path.join(tempfile.gettempdir(), "fixlint-real-suites")

# Python files and configuration, always; data files a package reads at import or a test reads
# (a logging.yml, JSON schemas, SQL and template files), each up to DATA_LIMIT bytes: big files
# are fixtures of other kinds (dumps, recordings) no import needs. Binaries are never taken.
EXTRACTED = (".py", ".pyi", ".ini", ".toml", ".cfg")
DATA_FILES = (
    ".yml",
    ".yaml",
    ".json",
    ".txt",
    ".sql",
    ".csv",
    ".xml",
    ".html",
    ".jinja",
    ".jinja2",
    ".j2",
    ".mako",
    ".graphql",
    ".env",
    "py.typed",
)
DATA_LIMIT = 256 * 1024
SELECTION = {"always": list(EXTRACTED), "data": list(DATA_FILES), "data_limit": DATA_LIMIT}
MARKER = ".real_suite.json"
# Folders the baseline and the file counts skip (what any Python tool skips).
SKIP_DIRS = {
    ".git",
    ".hg",
    ".svn",
    "__pycache__",
    ".fixlint_cache",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".tox",
    ".nox",
    ".venv",
    "venv",
    "node_modules",
    "site-packages",
}
VERDICTS = ("true", "false", "debatable")
TIMEOUT_BIN = shutil.which("timeout")

# (a): every .py file under the cwd, parsed by LibCST in this one process; a file that does not
# parse is counted, not fatal. The result goes to the JSON file named by argv[1].
PARSE_SCRIPT = r"""
import json, os, sys, libcst
skip = set(json.loads(sys.argv[2]))
n = failed = size = 0
failures = []
for root, dirs, files in os.walk("."):
    dirs[:] = sorted(d for d in dirs if d not in skip)
    for name in sorted(files):
        if not name.endswith(".py"):
            continue
        path = os.path.join(root, name)
        with open(path, "rb") as fh:
            data = fh.read()
        size += len(data)
        n += 1
        try:
            libcst.parse_module(data)
        except Exception as exc:
            failed += 1
            if len(failures) < 50:
                failures.append([os.path.relpath(path), type(exc).__name__])
with open(sys.argv[1], "w") as fh:
    json.dump({"files": n, "failed": failed, "bytes": size, "failures": failures}, fh)
"""

# A pytest plugin (loaded with -p) that writes, at the end, which collectors failed (with the
# last line of the error) and how many tests each file gave, to $FIXLINT_COLLECT_OUT.
COLLECT_PROBE = r"""
import json, os

import pytest

_failed = {}
_items = {}


def _last_line(text):
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("E ")]
    return ((errors or lines or [""])[-1])[:200]


def pytest_collectreport(report):
    # Counted as each collector reports (not at the end): a collection pytest aborts still counts.
    if report.failed:
        _failed[report.nodeid.split("::")[0] or "."] = _last_line(report.longreprtext)
        return
    for node in report.result or ():
        if isinstance(node, pytest.Item):
            path = node.nodeid.split("::")[0]
            _items[path] = _items.get(path, 0) + 1


def pytest_unconfigure(config):
    out = os.environ.get("FIXLINT_COLLECT_OUT")
    if out:
        with open(out, "w") as fh:
            json.dump({"failed": _failed, "items": _items}, fh)
"""


# ---------------------------------------------------------------------------------------------
# suites and mirrors
# ---------------------------------------------------------------------------------------------


def load_suites(path=SUITES_FILE):
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    suites = []
    for entry in data.get("suite", []):
        missing = [key for key in ("name", "repo", "commit") if not entry.get(key)]
        if missing:
            raise SystemExit("{}: a suite lacks {}: {!r}".format(path, ", ".join(missing), entry))
        entry.setdefault("folder", ".")
        entry.setdefault("note", "")
        suites.append(entry)
    names = [s["name"] for s in suites]
    if len(set(names)) != len(names):
        raise SystemExit(f"{path}: suite names must be unique")
    return suites


def git_dir(mirrors, repo):
    base = os.path.join(mirrors, repo.replace("/", "+"), "repo")
    if os.path.isdir(os.path.join(base, ".git")):
        return os.path.join(base, ".git")  # a clone with a work tree
    if os.path.isdir(base):
        return base
    raise SystemExit(
        f"no mirror of {repo} at {base}: get one with the fetch tool (github:{repo}) or\n"
        f"  git clone --mirror https://github.com/{repo}.git {base}"
    )


def extract(gitdir, commit, out):
    """Write the EXTRACTED files of commit, and its DATA_FILES up to DATA_LIMIT bytes, into out
    (once: reused if out holds that commit with this selection). Blobs the mirror lacks (snapshots
    leave out files of 4 MiB and more) are skipped."""
    marker = os.path.join(out, MARKER)
    if os.path.isfile(marker):
        with open(marker) as fh:
            info = json.load(fh)
        if info.get("commit") == commit and info.get("selection") == SELECTION:
            info["reused"] = True
            return info
        raise SystemExit(
            "{} holds commit {} extracted with another selection of files than {}{}: remove it first (or "
            "use another --work)".format(
                out, info.get("commit"), commit, "" if "selection" in info else " (an older kit)"
            )
        )
    if os.path.exists(out):
        raise SystemExit(f"{out} exists but is no extraction (no {MARKER}): remove it first")
    subprocess.run(["git", "--git-dir", gitdir, "cat-file", "-e", commit + "^{commit}"], check=True)
    tree = subprocess.run(
        ["git", "--git-dir", gitdir, "ls-tree", "-r", "-l", "-z", commit], capture_output=True, check=True
    ).stdout
    entries, data_files, too_big = [], 0, 0
    for item in tree.split(b"\0"):
        if not item:
            continue
        meta, path = item.split(b"\t", 1)
        mode, kind, sha, size = meta.split()
        name = os.fsdecode(path)
        if kind != b"blob" or mode == b"120000":
            continue
        if name.endswith(EXTRACTED):
            entries.append((sha, name))
        elif name.endswith(DATA_FILES):
            if size.isdigit() and int(size) > DATA_LIMIT:  # no size: the mirror lacks it (counted below)
                too_big += 1
                continue
            entries.append((sha, name))
            data_files += 1
    part = out + ".part"
    shutil.rmtree(part, ignore_errors=True)
    os.makedirs(part)
    proc = subprocess.Popen(
        ["git", "--git-dir", gitdir, "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    written, missing = 0, []
    try:
        for sha, name in entries:
            proc.stdin.write(sha + b"\n")
            proc.stdin.flush()
            header = proc.stdout.readline().split()
            if header[-1] == b"missing":
                missing.append(name)
                continue
            data = proc.stdout.read(int(header[2]))
            proc.stdout.read(1)  # the newline after the object
            target = os.path.join(part, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as fh:
                fh.write(data)
            written += 1
    finally:
        proc.stdin.close()
        proc.wait()
    info = {
        "commit": commit,
        "selection": SELECTION,
        "written": written,
        "data_files": data_files,
        "data_too_big": too_big,
        "missing": len(missing),
        "missing_paths": missing[:100],
    }
    with open(os.path.join(part, MARKER), "w") as fh:
        json.dump(info, fh, indent=1)
    os.rename(part, out)
    info["reused"] = False
    return info


def walk_files(top, keep):
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(files):
            if keep(name):
                yield os.path.join(root, name)


def is_test_file(name):
    return name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))


# the suite's own environment (for the fix check's collection and test runs)
# ---------------------------------------------------------------------------------------------

ENV_MARKER = ".fixlint-suite-env.json"


def _requirement_lines(text):
    """The requirements of a requirements file: no comments, options or nested files."""
    out = []
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if line and not line.startswith(("#", "-")):
            out.append(line)
    return out


def _canonical(name):
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _project_requirements(pyproject, spec):
    """The requirements the suite's [suite.env] names from its pyproject.toml: the project's own
    dependencies, extras (a self-reference such as `agno[mcp]` is expanded, not installed from the
    index) and PEP 735 dependency groups (with `include-group`)."""
    with open(pyproject, "rb") as fh:
        data = tomllib.load(fh)
    project = data.get("project", {})
    own = _canonical(project.get("name", ""))
    extras = project.get("optional-dependencies", {})
    groups = data.get("dependency-groups", {})
    out, seen_extras, seen_groups = [], set(), set()

    def add(req):
        head = req.split(";", 1)[0].strip()
        base = head.split("[", 1)[0].strip()
        if own and _canonical(base) == own:
            add_project()
            if "[" in head:
                for extra in head.split("[", 1)[1].split("]", 1)[0].split(","):
                    add_extra(extra.strip())
            return
        out.append(req)

    def add_project():
        if "" not in seen_extras:
            seen_extras.add("")
            for req in project.get("dependencies", []):
                add(req)

    def add_extra(name):
        if name not in seen_extras:
            seen_extras.add(name)
            for req in extras.get(name, []):
                add(req)

    def add_group(name):
        if name not in seen_groups:
            seen_groups.add(name)
            for item in groups.get(name, []):
                if isinstance(item, dict):
                    add_group(item.get("include-group", ""))
                else:
                    add(item)

    if spec.get("project"):
        add_project()
    for name in spec.get("extras", []):
        add_extra(name)
    for name in spec.get("groups", []):
        add_group(name)
    return out


def env_requirements(suite, gitdir, run_dir):
    spec = suite.get("env") or {}
    reqs = []
    for rel in spec.get("requirements", []):
        text = subprocess.run(
            ["git", "--git-dir", gitdir, "show", "{}:{}".format(suite["commit"], rel)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        reqs += _requirement_lines(text)
    if spec.get("project") or spec.get("extras") or spec.get("groups"):
        reqs += _project_requirements(os.path.join(run_dir, "pyproject.toml"), spec)
    # pytest-timeout: a test that waits on a service this machine lacks must not stall the run
    reqs += list(spec.get("packages", [])) + ["pytest", "pytest-timeout"]
    return sorted(set(reqs))


def find_python(version):
    """An interpreter of the suite's Python (pyenv's versions first, then pythonX.Y on PATH)."""
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    versions = os.path.join(root, "versions")
    if os.path.isdir(versions):
        for name in sorted(os.listdir(versions), reverse=True):
            exe = os.path.join(versions, name, "bin", "python" + version)
            if (name == version or name.startswith(version + ".")) and os.path.isfile(exe):
                return exe
    exe = shutil.which("python" + version)
    if not exe:
        raise SystemExit(f"no Python {version} here (pyenv or python{version} on PATH) for the suite's environment")
    return exe


def commit_date(gitdir, commit):
    """The commit's date, in UTC, as pip's --uploaded-prior-to reads it."""
    stamp = subprocess.run(
        ["git", "--git-dir", gitdir, "log", "-1", "--format=%ct", commit], capture_output=True, text=True, check=True
    ).stdout.strip()
    return datetime.datetime.fromtimestamp(int(stamp), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def lock_pins(text):
    """`name==version` for each package a uv.lock takes from an index; a package the lock holds
    in several versions (one per Python or platform) is left to the date."""
    versions = defaultdict(set)
    for package in tomllib.loads(text).get("package", []):
        if "registry" in (package.get("source") or {}) and package.get("version"):
            versions[package["name"]].add(package["version"])
    return sorted(f"{name}=={next(iter(vs))}" for name, vs in versions.items() if len(vs) == 1)


# pip 26 knows --uploaded-prior-to. This machine's pip configuration adds local package folders
# (find-links, extra indexes) whose files carry no upload time, so pip would take their newest
# releases whatever the date: the suite's installs read PyPI alone.
PIP = "pip>=26"
PIP_INDEX_ONLY = ["env"] + [f"-u{v}" for v in ("PIP_FIND_LINKS", "PIP_EXTRA_INDEX_URL", "PIP_CONSTRAINT")]
PIP_INDEX_ONLY += ["PIP_CONFIG_FILE=" + os.devnull]


def prepare_env(suite, args, gitdir, run_dir, log):
    """A venv with the suite's requirements, reused while they stay the same. Unless the suite
    says `date = false`, no release published after the commit is taken (where a requirement
    pins no version, the newest release may need what the suite never had), and `lock` (a
    uv.lock of the commit) pins what it locks. A requirement that does not install (a wheel for
    another platform, a package that needs a service to build) is left out and named, and the
    rest is installed one by one."""
    spec = suite.get("env") or {}
    reqs = env_requirements(suite, gitdir, run_dir)
    pins = []
    if spec.get("lock"):
        pins = lock_pins(
            subprocess.run(
                ["git", "--git-dir", gitdir, "show", "{}:{}".format(suite["commit"], spec["lock"])],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
    before = commit_date(gitdir, suite["commit"]) if spec.get("date", True) else None
    version = spec.get("python", "{}.{}".format(*sys.version_info[:2]))
    key = hashlib.sha1(json.dumps([version, reqs, pins, before]).encode()).hexdigest()
    home = os.path.join(os.path.abspath(args.envs), suite["name"])
    python = os.path.join(home, "bin", "python")
    marker = os.path.join(home, ENV_MARKER)
    if os.path.isfile(marker):
        with open(marker) as fh:
            info = json.load(fh)
        if info.get("key") == key:
            info["reused"] = True
            return info
    shutil.rmtree(home, ignore_errors=True)
    subprocess.run([find_python(version), "-m", "venv", home], check=True)
    pip = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    t0 = time.perf_counter()
    measured(pip + [PIP], run_dir, log, args.timeout)
    if before or pins:
        pip = PIP_INDEX_ONLY + pip
    if before:
        pip += ["--uploaded-prior-to", before]
    if pins:
        constraints = os.path.join(home, "lock-constraints.txt")
        with open(constraints, "w") as fh:
            fh.write("\n".join(pins) + "\n")
        pip += ["-c", constraints]
    failed = []
    if measured(pip + reqs, run_dir, log, args.timeout)["exit"] != 0:
        for req in reqs:
            if measured(pip + [req], run_dir, log, args.timeout)["exit"] != 0:
                failed.append(req)
    info = {
        "key": key,
        "python": python,
        "version": subprocess.run([python, "-V"], capture_output=True, text=True).stdout.strip(),
        "requirements": len(reqs),
        "uploaded_before": before,
        "lock_pins": len(pins),
        "failed": failed,
        "seconds": round(time.perf_counter() - t0, 1),
        "pythonpath": ["."] + spec.get("pythonpath", []),  # relative to the run folder: the copy's, later
    }
    with open(marker, "w") as fh:
        json.dump(info, fh, indent=1)
    info["reused"] = False
    return info


# ---------------------------------------------------------------------------------------------
# measuring
# ---------------------------------------------------------------------------------------------


def measured(cmd, cwd, log, timeout, stdout_path=None):
    """bench/run.py's run_measured, with stdout to a file of its own and a time limit (coreutils
    `timeout`: the process group is killed, worker processes too). The `sh` and `timeout`
    wrappers exec or wait, so the peak counts them at about a megabyte."""
    wrapped = list(cmd)
    if stdout_path:
        wrapped = ["sh", "-c", 'out=$1; shift; exec "$@" > "$out"', "sh", stdout_path] + wrapped
    if timeout and TIMEOUT_BIN:
        wrapped = [TIMEOUT_BIN, "-k", "30", str(int(timeout))] + wrapped
    start = os.path.getsize(log) if os.path.exists(log) else 0
    seconds, code, peak = bench_run.run_measured(wrapped, cwd, log)
    timed_out = bool(timeout and TIMEOUT_BIN and code in (124, 137, -9) and seconds >= timeout)
    return {"seconds": seconds, "exit": code, "peak_mb": peak, "timed_out": timed_out, "log_start": start}


def log_tail(log, m, lines=15):
    """The last lines the run m wrote to the log (its stderr, and its stdout unless redirected)."""
    try:
        with open(log, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(m.get("log_start", 0), fh.tell() - 8000))
            text = fh.read().decode("utf-8", "replace")
    except OSError:
        return ""
    kept = [line for line in text.splitlines() if not line.startswith("$ ")]  # not the command line
    return "\n".join(kept[-lines:])


WARNING = "fixlint: warning: "
WORD = re.compile(r"(?<![\w./-])[\w./-]*[\w-]")


def fix_warnings(log, m, top, run_dir):
    """The warnings the run m wrote to the log, each path in them relative to `top` (the suite's
    root, as the rest of the report): fixlint shows paths relative to the folder it runs in, with
    `../` or in full for the files outside it."""
    try:
        with open(log, "rb") as fh:
            fh.seek(m.get("log_start", 0))
            text = fh.read().decode("utf-8", "replace")
    except OSError:
        return []

    def shown(match):
        token = match.group(0)
        if "/" not in token and not token.endswith((".py", ".pyi")):
            return token
        path = os.path.normpath(os.path.join(run_dir, token))  # an absolute token stays itself
        inside = path.startswith(top.rstrip(os.sep) + os.sep)
        if inside and (os.path.isabs(token) or os.path.exists(path)):
            return os.path.relpath(path, top).replace(os.sep, "/")
        return token

    return [WORD.sub(shown, line[len(WARNING) :]) for line in text.splitlines() if line.startswith(WARNING)]


def fixlint_cmd(*args, jobs=None, python=None):
    cmd = [sys.executable, "-m", "fixlint"] + list(args)
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    if python is not None:
        cmd += ["--config", "python = " + json.dumps(python)]
    return cmd


def suite_python(suite, args):
    """The suite's own venv under --envs, when it is there: fixlint reads the suite's plugins and
    distributions from it (its `python` setting), as a user's project names its environment."""
    home = os.path.join(os.path.abspath(args.envs), suite["name"])
    return home if os.path.isfile(os.path.join(home, "pyvenv.cfg")) else None


def fixlint_revision():
    try:
        rev = subprocess.run(
            ["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", REPO, "status", "--porcelain", "--", "fixlint"], capture_output=True, text=True
        ).stdout.strip()
        if not dirty:
            return rev
        # which uncommitted state: a digest of the diff against HEAD and of the file list
        diff = subprocess.run(["git", "-C", REPO, "diff", "HEAD", "--", "fixlint"], capture_output=True).stdout
        digest = hashlib.sha1(diff + dirty.encode()).hexdigest()[:8]
        return f"{rev}+dirty-{digest} (fixlint/ had uncommitted changes)"
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def measure_parse(run_dir, log, timeout, tmp):
    out = os.path.join(tmp, "parse.json")
    m = measured([sys.executable, "-c", PARSE_SCRIPT, out, json.dumps(sorted(SKIP_DIRS))], run_dir, log, timeout)
    if os.path.isfile(out):
        with open(out) as fh:
            m.update(json.load(fh))
        os.remove(out)
    return m


def measure_check(run_dir, log, timeout, jobs, out, python=None):
    cmd = fixlint_cmd("check", "--no-cache", "--exit-zero", "--format", "json", ".", jobs=jobs, python=python)
    m = measured(cmd, run_dir, log, timeout, stdout_path=out)
    m["findings"] = None
    if not m["timed_out"]:
        try:
            with open(out, encoding="utf-8") as fh:
                m["findings"] = json.load(fh)
        except (OSError, ValueError) as exc:
            m["error"] = f"no JSON output ({type(exc).__name__})"
    return m


def suite_path(folder, path):
    """A finding's path (relative to the run folder) relative to the suite's root."""
    return os.path.normpath(os.path.join(folder, path)).replace(os.sep, "/")


# ---------------------------------------------------------------------------------------------
# samples and judgments
# ---------------------------------------------------------------------------------------------


def sample_findings(findings, name, seed, size):
    by_rule = defaultdict(list)
    for f in findings:
        by_rule[f["rule"]].append(f)
    picked = {}
    for rule, items in sorted(by_rule.items()):
        items.sort(key=lambda f: (f["path"], f["line"], f.get("column", 0), f["message"]))
        rng = random.Random(f"{seed}:{name}:{rule}")
        chosen = rng.sample(items, min(size, len(items)))
        picked[rule] = sorted(chosen, key=lambda f: (f["path"], f["line"], f["message"]))
    return picked


def toml_str(text):
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def load_judgments(path):
    if not os.path.isfile(path):
        return []
    with open(path, "rb") as fh:
        return tomllib.load(fh).get("finding", [])


def merge_judgments(existing, picked, findings):
    """The new sample, with the verdicts already given to the same finding (rule, path, message;
    the line may have moved), plus every judged entry the sample left out: still reported, or
    kept with reported = false."""
    old = defaultdict(list)
    for entry in existing:
        old[(entry["rule"], entry["path"], entry["message"])].append(entry)
    current_lines = defaultdict(list)
    for f in findings:
        current_lines[(f["rule"], f["path"], f["message"])].append(f["line"])

    def take(key, line):
        candidates = old.get(key)
        if not candidates:
            return None
        # The entry of this very line first (findings of one message on several lines keep their
        # own verdicts), else a judged one, nearest first (the line may have moved).
        candidates.sort(key=lambda e: (e.get("line", 0) != line, not e.get("verdict"), abs(e.get("line", 0) - line)))
        return candidates.pop(0)

    merged = []
    for rule, items in picked.items():
        for f in items:
            key = (rule, f["path"], f["message"])
            entry = {
                "rule": rule,
                "path": f["path"],
                "line": f["line"],
                "message": f["message"],
                "verdict": "",
                "why": "",
            }
            previous = take(key, f["line"])
            if previous:
                entry["verdict"] = previous.get("verdict", "")
                entry["why"] = previous.get("why", "")
            merged.append(entry)
    for key, entries in old.items():
        for previous in entries:
            if not previous.get("verdict"):
                continue  # an unjudged entry the new sample left out: dropped
            entry = {k: previous.get(k, "") for k in ("rule", "path", "line", "message", "verdict", "why")}
            lines = current_lines.get(key)
            if lines:
                entry["line"] = min(lines, key=lambda n: abs(n - previous.get("line", 0)))
            else:
                entry["reported"] = False
            merged.append(entry)
    merged.sort(key=lambda e: (e["rule"], e["path"], e["line"], e["message"]))
    return merged


def write_judgments(path, suite, entries, counts, header):
    lines = [
        "# Sampled fixlint findings on {} ({} @ {}, folder {}), to be judged by a person.".format(
            suite["name"], suite["repo"], suite["commit"][:12], suite["folder"]
        ),
        f"# Written by bench/real_suites.py ({header}); re-running keeps the verdicts given here.",
        '# verdict: "true" (a real problem, the message right), "false" (a false positive),',
        '# or "debatable"; why: one short sentence (our words; no code from the suite).',
        "# reported = false: the latest run no longer reports this finding (kept for its verdict).",
        "",
    ]
    rule = None
    for entry in entries:
        if entry["rule"] != rule:
            rule = entry["rule"]
            lines.append(f"# {rule}: {counts.get(rule, 0)} finding(s) in the latest run")
            lines.append("")
        lines.append("[[finding]]")
        for key in ("rule", "path"):
            lines.append(f"{key} = {toml_str(entry[key])}")
        lines.append(f"line = {int(entry['line'])}")
        for key in ("message", "verdict", "why"):
            lines.append(f"{key} = {toml_str(entry.get(key, ''))}")
        if entry.get("reported") is False:
            lines.append("reported = false")
        lines.append("")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))


def summary(names):
    rows = []
    files = sorted(f for f in os.listdir(JUDGMENTS_DIR) if f.endswith(".toml")) if os.path.isdir(JUDGMENTS_DIR) else []
    for fname in files:
        name = fname[:-5]
        if names and name not in names:
            continue
        tally = defaultdict(Counter)
        for entry in load_judgments(os.path.join(JUDGMENTS_DIR, fname)):
            verdict = (entry.get("verdict") or "").strip().lower()
            if entry.get("reported") is False:
                verdict = "gone"
            elif verdict and verdict not in VERDICTS:
                print("warning: {}: unknown verdict {!r} ({}:{})".format(fname, verdict, entry["path"], entry["line"]))
                verdict = "other"
            tally[entry["rule"]][verdict or "unjudged"] += 1
        for rule, c in sorted(tally.items()):
            judged = c["true"] + c["false"]
            precision = "%.0f%%" % (100.0 * c["true"] / judged) if judged else "-"
            rows.append(
                (name, rule, c["true"], c["false"], c["debatable"], c["unjudged"], c["gone"] + c["other"], precision)
            )
    print("| suite | rule | true | false | debatable | unjudged | no longer reported / other | precision |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")
    print("\nprecision = true / (true + false); debatable entries are counted apart.")


# ---------------------------------------------------------------------------------------------
# --fix: parse, fixed point, collection
# ---------------------------------------------------------------------------------------------


def tree_digest(top):
    out = {}
    for path in walk_files(top, lambda name: name.endswith(".py")):
        with open(path, "rb") as fh:
            out[os.path.relpath(path, top)] = hashlib.sha1(fh.read()).hexdigest()
    return out


def parses(data):
    """(ast ok, libcst ok) for the bytes of one file."""
    import libcst

    try:
        ast.parse(data)
        ast_ok = True
    except (SyntaxError, ValueError, RecursionError):
        ast_ok = False
    try:
        libcst.parse_module(data)
        cst_ok = True
    except Exception:
        cst_ok = False
    return ast_ok, cst_ok


# How collection is tried, in order, until pytest gets to collecting: as the suite says; without
# its addopts (plugins this interpreter lacks: --cov, -n, ...) and filterwarnings (with "error",
# a warning about a plugin's unknown ini key or a filter naming a module not installed stops
# pytest); without its conftest files too (a root conftest that imports what is not installed
# stops pytest before it collects anything); last, with no configuration at all (a configuration
# pytest rejects, e.g. a pyproject.toml with both [tool.pytest] and [tool.pytest.ini_options]).
CLEARED = ["-o", "addopts=", "-o", "filterwarnings="]
COLLECT_MODES = (
    ("as configured", []),
    ("addopts and filterwarnings cleared", CLEARED),
    ("addopts and filterwarnings cleared, --noconftest", CLEARED + ["--noconftest"]),
    ("no configuration (-c /dev/null), --noconftest", ["-c", os.devnull, "--rootdir", ".", "--noconftest"]),
)


# A suite's own `--maxfail` (in addopts) stops collection at its first errors: every file counts.
NO_MAXFAIL = "--maxfail=1000000"


def collected_something(m):
    """pytest gave tests: a run that only failed (a conftest importing what is not installed
    interrupts the collection before any test) tries the next mode."""
    return bool(m["ran"] and m["items"])


def pytest_cmd(run_dir, tmp, suite_env, *env_vars):
    """pytest in the suite's environment (its venv, the run folder and its `pythonpath` entries on
    PYTHONPATH as an editable install would put them), else in this interpreter."""
    probe_dir = os.path.join(tmp, "probe")
    os.makedirs(probe_dir, exist_ok=True)
    with open(os.path.join(probe_dir, "fixlint_collect_probe.py"), "w") as fh:
        fh.write(COLLECT_PROBE)
    path = [probe_dir]
    python = sys.executable
    if suite_env:
        python = suite_env["python"]
        path += [os.path.normpath(os.path.join(run_dir, p)) for p in suite_env["pythonpath"]]
    env = ["env", "PYTHONDONTWRITEBYTECODE=1", "PYTHONPATH=" + os.pathsep.join(path)] + list(env_vars)
    return env + [python, "-m", "pytest", "-p", "no:cacheprovider"]


def config_roots(run_dir):
    """The run folder, and each folder below it with a pytest configuration of its own (a
    pytest.ini, or a pyproject.toml with a [tool.pytest...] table), shallowest first. pytest
    takes one configuration per run, from the folder it starts in: a service with its own
    pytest.ini is run from there (fixlint judges its tests under that file), and a `testpaths`
    above it often leaves it out of a run from the top."""
    roots = []
    for root, dirs, files in os.walk(run_dir):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        if root == run_dir:
            continue
        own = "pytest.ini" in files or ".pytest.ini" in files
        if not own and "pyproject.toml" in files:
            with open(os.path.join(root, "pyproject.toml"), encoding="utf-8", errors="replace") as fh:
                own = "[tool.pytest" in fh.read()
        if own:
            roots.append(os.path.relpath(root, run_dir).replace(os.sep, "/"))
    return ["."] + sorted(roots, key=lambda rel: (rel.count("/"), rel))


def _root_prefix(rel):
    return "" if rel == "." else rel + "/"


def collect(run_dir, log, timeout, tmp, tag, mode, suite_env=None):
    """Collection from the run folder, and apart from each folder below with a configuration of
    its own (config_roots): the files below such a folder count as its run sees them. Paths are
    relative to the run folder."""
    merged = None
    for index, rel in enumerate(config_roots(run_dir)):
        m = _collect_in(run_dir, rel, log, timeout, tmp, f"{tag}-{index}", mode, suite_env)
        # What each run gave: a conftest that no longer imports stops its run's every file at once.
        given = (len(m["items"]), (m.get("tail") or "").strip().splitlines()[-1:])
        if merged is None:
            merged = m
            merged["roots"] = 1
            merged["per_root"] = {rel: given}
            continue
        merged["per_root"][rel] = given
        prefix = _root_prefix(rel)
        for key in ("items", "failed"):
            kept = {path: v for path, v in merged[key].items() if not path.startswith(prefix)}
            kept.update({prefix + path: v for path, v in m[key].items()})
            merged[key] = kept
        merged["roots"] += 1
        merged["seconds"] += m["seconds"]
        merged["peak_mb"] = max(merged["peak_mb"], m["peak_mb"])
        merged["ran"] = merged["ran"] or m["ran"]
        if m["exit"] not in (0, 5):  # 5: no test there
            merged["exit"] = max(merged["exit"], m["exit"])
    return merged


def _collect_in(run_dir, rel, log, timeout, tmp, tag, mode, suite_env):
    out = os.path.join(tmp, f"collect-{tag}.json")
    if os.path.exists(out):
        os.remove(out)
    cmd = pytest_cmd(run_dir, tmp, suite_env, "FIXLINT_COLLECT_OUT=" + out)
    # a module that closes sys.stdout breaks capture
    cmd += ["--collect-only", "-q", "-p", "fixlint_collect_probe", "--capture=no", NO_MAXFAIL]
    cmd += COLLECT_MODES[mode][1]
    m = measured(cmd, os.path.join(run_dir, rel), log, timeout)
    m["mode"] = mode
    m["failed"], m["items"], m["ran"] = {}, {}, False
    if os.path.isfile(out):
        with open(out) as fh:
            data = json.load(fh)
        m.update(data)
        m["ran"] = True
    if not collected_something(m):
        m["tail"] = log_tail(log, m, 5)
    return m


def stopped_runs(before, after):
    """The runs of collect (the run folder, each folder with a configuration of its own) that gave
    tests before the fix and none after: pytest stopped there (a conftest that no longer imports),
    with its last line."""
    stopped = []
    for root, (count, _) in sorted(before["per_root"].items()):
        now, tail = after["per_root"].get(root, (0, []))
        if count and not now:
            why = "; " + tail[0][:200].replace("`", "'") if tail else ""
            stopped.append(
                (root, f"the run from here gave no test after the fix ({count} files gave tests before){why}")
            )
    return stopped


def tests_to_run(changed, copy, folder, seed, limit, collected):
    """The test files whose behaviour a fix can change: those it edited, and the tests below an
    edited conftest or helper module (a seeded sample when there are more than `limit`). Only
    files that gave tests before the fix (`collected`, relative to the folder) are taken: one whose
    conftest or imports fail in the suite's environment runs no test, before or after. Returns
    the files and how many were left out for that."""
    prefix = "" if folder in (".", "") else folder.rstrip("/") + "/"
    direct, nearby = [], set()
    for rel in changed:
        if not rel.startswith(prefix):
            continue
        inner = rel[len(prefix) :]
        if is_test_file(os.path.basename(inner)):
            direct.append(inner)
        else:
            top = os.path.join(copy, prefix, os.path.dirname(inner))
            for path in walk_files(top, is_test_file):
                nearby.add(os.path.relpath(path, os.path.join(copy, prefix)))
    candidates = set(direct) | nearby
    direct = sorted(set(direct) & collected)
    rest = sorted((nearby & collected) - set(direct))
    room = max(0, limit - len(direct))
    if len(rest) > room:
        rest = sorted(random.Random(seed).sample(rest, room))
    return direct[:limit] + rest, len(candidates - collected)


def junit_outcomes(path):
    """{test id: passed | failed | error | skipped} from pytest's JUnit XML."""
    import xml.etree.ElementTree as ET

    outcomes = {}
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return outcomes
    for case in root.iter("testcase"):
        key = "{}::{}".format(case.get("classname", ""), case.get("name", ""))
        kinds = {child.tag for child in case}
        outcome = "passed"
        for kind in ("error", "failure", "skipped"):
            if kind in kinds:
                outcome = {"failure": "failed"}.get(kind, kind)
                break
        outcomes[key] = outcome
    return outcomes


def run_tests(run_dir, files, log, timeout, tmp, tag, mode, suite_env, per_test):
    """The files run from the folder whose configuration governs them (config_roots: the
    deepest that holds them), one pytest run per folder; outcomes keyed by that folder too."""
    roots = config_roots(run_dir)
    groups = defaultdict(list)
    for rel in files:
        root = max((r for r in roots if r == "." or rel.startswith(r + "/")), key=len)
        groups[root].append(rel[len(_root_prefix(root)) :])
    merged = {"seconds": 0.0, "exit": 0, "peak_mb": 0.0, "timed_out": False, "outcomes": {}}
    for index, (root, inner) in enumerate(sorted(groups.items())):
        xml = os.path.join(tmp, f"tests-{tag}-{index}.xml")
        if os.path.exists(xml):
            os.remove(xml)
        cmd = pytest_cmd(run_dir, tmp, suite_env) + ["-q", "-o", "junit_family=xunit1", "--junitxml", xml, NO_MAXFAIL]
        cmd += ["--continue-on-collection-errors"]  # one module that does not import must not stop the others
        cmd += ["-o", f"timeout={per_test}"] if suite_env else []  # pytest-timeout, loaded by its entry point
        cmd += COLLECT_MODES[mode][1] + inner
        m = measured(cmd, os.path.join(run_dir, root), log, timeout)
        merged["seconds"] += m["seconds"]
        merged["exit"] = max(merged["exit"], m["exit"])
        merged["peak_mb"] = max(merged["peak_mb"], m["peak_mb"])
        merged["timed_out"] = merged["timed_out"] or m["timed_out"]
        merged["outcomes"].update({_root_prefix(root) + key: v for key, v in junit_outcomes(xml).items()})
    return merged


def run_time_check(suite, src_root, copy, run_dir, changed, args, log, tmp, mode, ok_before, suite_env):
    """The chosen tests run on the tree before the fix and after it, in the same folder (the
    originals are put back for the first run): a test that passed before and does not after is
    a fix that broke what the test does. `ok_before`: the files that gave tests before the fix."""
    files, uncollected = tests_to_run(changed, copy, suite["folder"], args.seed, args.test_files, ok_before)
    if not files:
        return {"files": files, "uncollected": uncollected} if uncollected else None
    fixed = {}
    for rel in changed:
        with open(os.path.join(copy, rel), "rb") as fh:
            fixed[rel] = fh.read()
        original = os.path.join(src_root, rel)
        if os.path.isfile(original):
            shutil.copy2(original, os.path.join(copy, rel))
        else:
            os.remove(os.path.join(copy, rel))
    try:
        before = run_tests(run_dir, files, log, args.timeout, tmp, "before", mode, suite_env, args.per_test_timeout)
    finally:
        for rel, data in fixed.items():
            with open(os.path.join(copy, rel), "wb") as fh:
                fh.write(data)
    after = run_tests(run_dir, files, log, args.timeout, tmp, "after", mode, suite_env, args.per_test_timeout)
    broke = sorted(
        (test, after["outcomes"].get(test, "gone"))
        for test, outcome in before["outcomes"].items()
        if outcome == "passed" and after["outcomes"].get(test) != "passed"
    )
    return {"files": files, "uncollected": uncollected, "before": before, "after": after, "broke": broke}


def fix_check(suite, src_root, log, args, tmp, suite_env):
    timeout, jobs, python = args.timeout, args.jobs, suite_python(suite, args)
    copy = src_root + ".fixed"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(src_root, copy, ignore=shutil.ignore_patterns("__pycache__", ".fixlint_cache", ".pytest_cache"))
    for rel, text in ((suite.get("env") or {}).get("write") or {}).items():
        with open(os.path.join(copy, rel), "w", encoding="utf-8") as fh:
            fh.write(text)  # what the project's build step would have written (an import needs it)
    run_dir = os.path.normpath(os.path.join(copy, suite["folder"]))
    result = {}

    first = before = collect(run_dir, log, timeout, tmp, "before", 0, suite_env)
    for mode in range(1, len(COLLECT_MODES)):
        if collected_something(before):
            break
        before = collect(run_dir, log, timeout, tmp, "before", mode, suite_env)
    if not collected_something(before):
        before = first
    result["collect_before"] = before

    digest_before = tree_digest(copy)
    result["fixlint"] = fixlint_revision()  # the code that fixes: the collection may run long
    fix_out = os.path.join(tmp, "fix.json")
    fix = measured(
        fixlint_cmd(
            "fix", "--unsafe-fixes", "--no-cache", "--exit-zero", "--format", "json", ".", jobs=jobs, python=python
        ),
        run_dir,
        log,
        timeout,
        stdout_path=fix_out,
    )
    result["fix"] = fix
    if fix["exit"] not in (0, 1):
        fix["tail"] = log_tail(log, fix)
    fix["warnings"] = fix_warnings(log, fix, copy, run_dir)
    digest_after = tree_digest(copy)
    changed = sorted(p for p in digest_after if digest_before.get(p) != digest_after[p])
    deleted = sorted(p for p in digest_before if p not in digest_after)
    result["changed"], result["deleted"] = changed, deleted
    result["new"] = [p for p in changed if p not in digest_before]

    broken = []
    for rel in changed:
        with open(os.path.join(copy, rel), "rb") as fh:
            after_ok = parses(fh.read())
        original = os.path.join(src_root, rel)
        before_ok = (False, False)
        if os.path.isfile(original):
            with open(original, "rb") as fh:
                before_ok = parses(fh.read())
        for which, was, now in (("ast", before_ok[0], after_ok[0]), ("libcst", before_ok[1], after_ok[1])):
            if now is False and was is not False:
                broken.append((rel, which))
            elif now is False and not os.path.isfile(original):
                broken.append((rel, which + " (new file)"))
    result["broken_parse"] = broken

    diff_out = os.path.join(tmp, "fix2.diff")
    second = measured(
        fixlint_cmd("fix", "--diff", "--unsafe-fixes", "--no-cache", ".", jobs=jobs, python=python),
        run_dir,
        log,
        timeout,
        stdout_path=diff_out,
    )
    diff_files = []
    if os.path.isfile(diff_out):
        with open(diff_out, encoding="utf-8", errors="replace") as fh:
            diff_files = [line[4:].strip() for line in fh if line.startswith("+++ ")]
    second["files"] = diff_files
    result["second"] = second

    after = collect(run_dir, log, timeout, tmp, "after", before["mode"], suite_env)
    result["collect_after"] = after
    ok_before = set(before["items"]) - set(before["failed"])
    regressions = []
    for path, error in sorted(after["failed"].items()):
        if path in ok_before or any(p.startswith(path.rstrip("/") + "/") for p in ok_before):
            regressions.append((path, error))
    lost = sorted(p for p in ok_before if p not in after["items"] and p not in after["failed"])
    result["regressions"], result["lost"] = regressions, lost
    regressions += stopped_runs(before, after)
    result["env"] = suite_env
    result["tests"] = run_time_check(
        suite, src_root, copy, run_dir, changed, args, log, tmp, before["mode"], ok_before, suite_env
    )
    return result


# ---------------------------------------------------------------------------------------------
# the report
# ---------------------------------------------------------------------------------------------


def fmt_time(m):
    if m.get("timed_out"):
        return "timed out (> {:.0f} s)".format(m["seconds"])
    return "{:.1f}".format(m["seconds"])


def report(suite, env, extraction, counts, parse, check, per_rule, fixable, sampled, fixres):
    out = []
    ts = env["when"]
    out.append(
        "## {}: {} @ {} (folder `{}`), {}".format(
            suite["name"], suite["repo"], suite["commit"][:12], suite["folder"], ts
        )
    )
    out.append("")
    out.append(
        f"fixlint {env['fixlint']}; Python {env['python']}; {env['machine']}, {os.cpu_count() or 0} cores; "
        f"`--jobs {env['jobs']}`; timeout {env['timeout']} s."
    )
    reused = ", reused" if extraction.get("reused") else ""
    out.append(
        f"Extracted {extraction['written']} files ({extraction.get('data_files', 0)} data files, "
        f"{extraction.get('data_too_big', 0)} left out over {DATA_LIMIT // 1024} KB; "
        f"{extraction['missing']} missing from the mirror{reused}); "
        f"under the folder: {counts['py']} .py files ({counts['bytes'] / 1048576.0:.1f} MB), "
        f"{counts['tests']} test files."
    )
    out.append("")
    if parse is None:
        out.append("(`--fix-only`: no time, memory or findings measured in this run.)")
        out.append("")
        if fixres is not None:
            out.append(fix_table(fixres))
        return "\n".join(out)
    out.append("| measure | seconds | peak MB | exit | note |")
    out.append("| --- | ---: | ---: | ---: | --- |")
    note = f"{parse.get('files', 0)} files, {parse.get('failed', 0)} do not parse" if "files" in parse else "no result"
    out.append(
        f"| (a) libcst parse, one process | {fmt_time(parse)} | {parse['peak_mb']:.0f} | {parse['exit']} | {note} |"
    )
    if check["timed_out"]:
        cnote = "killed after the timeout"
    elif check["findings"] is None:
        cnote = "crashed: {}".format(check.get("error", ""))
    else:
        cnote = f"{len(check['findings'])} findings"
    out.append(
        f"| (b) fixlint check --no-cache | {fmt_time(check)} | {check['peak_mb']:.0f} | {check['exit']} | {cnote} |"
    )
    if parse["seconds"] > 0 and not parse.get("timed_out"):
        ratio = check["seconds"] / parse["seconds"]
        out.append(
            "| ratio (b)/(a) | {}{:.2f}x | | | target <= 0.5x |".format("> " if check["timed_out"] else "", ratio)
        )
    out.append("")
    if check.get("tail"):
        out.append("fixlint's last output lines (stderr):")
        out.append("")
        out.append("```")
        out.append(check["tail"])
        out.append("```")
        out.append("")
    if per_rule is not None:
        out.append("| rule | findings | with a fix | sampled |")
        out.append("| --- | ---: | ---: | ---: |")
        for rule, n in sorted(per_rule.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"| {rule} | {n} | {fixable.get(rule, 0)} | {len(sampled.get(rule, ()))} |")
        if not per_rule:
            out.append("| (none) | 0 | 0 | 0 |")
        out.append("")
    if fixres is not None:
        out.append(fix_table(fixres))
    return "\n".join(out)


WARNINGS_SHOWN = 20


def fix_table(r):
    out = []
    b, a, fix, second = r["collect_before"], r["collect_after"], r["fix"], r["second"]
    out.append("Fix check (`fix --unsafe-fixes` on a copy):")
    out.append("")
    out.append("| check | result |")
    out.append("| --- | --- |")
    crashed = " (crashed: see below)" if fix.get("tail") else ""
    out.append(f"| fixlint that fixed | {r.get('fixlint', 'unknown')} |")
    out.append(f"| fix: time, peak, exit | {fmt_time(fix)} s, {fix['peak_mb']:.0f} MB, exit {fix['exit']}{crashed} |")
    out.append(f"| files changed / new / deleted | {len(r['changed'])} / {len(r['new'])} / {len(r['deleted'])} |")
    broken = ", ".join("`{}` ({})".format(*pb) for pb in r["broken_parse"][:20]) or "none"
    out.append(f"| changed files that parsed before and do not after | {broken} |")
    if second["timed_out"]:
        sres = "timed out"
    else:
        sres = (
            "changes nothing"
            if not second["files"]
            else f"would change {len(second['files'])} file(s): " + ", ".join(f"`{f}`" for f in second["files"][:10])
        )
    out.append(f"| second `fix --diff` | {sres} (exit {second['exit']}) |")

    def coll(m):
        if not m["ran"]:
            return f"pytest stopped before collecting (exit {m['exit']})"
        aborted = ": pytest aborted the collection (INTERNALERROR), counts up to there" if m["exit"] == 3 else ""
        apart = f"; from the run folder and {m['roots'] - 1} below it" if m.get("roots", 1) > 1 else ""
        return (
            f"{len(m['items'])} files give {sum(m['items'].values())} tests; {len(m['failed'])} collectors fail "
            f"(exit {m['exit']}{aborted}; {COLLECT_MODES[m['mode']][0]}{apart})"
        )

    env = r.get("env")
    if env:
        left_out = ", ".join(f"`{req}`" for req in env["failed"][:10]) or "none"
        pinned = []
        if env.get("uploaded_before"):
            pinned.append(f"releases up to the commit's date {env['uploaded_before']}")
        if env.get("lock_pins"):
            pinned.append(f"{env['lock_pins']} versions pinned by the suite's lock")
        out.append(
            f"| the suite's environment | {env['version']}, {env['requirements']} requirements, "
            f"{'; '.join(pinned) or 'newest releases'} (left out, they do not install here: {left_out}) |"
        )
    else:
        out.append("| the suite's environment | none: fixlint's own interpreter (no [suite.env]) |")
    out.append(f"| collect before | {coll(b)} |")
    out.append(f"| collect after | {coll(a)} |")
    regs = r["regressions"]
    out.append(
        "| collected before, fail after | %s |"
        % ("none" if not regs else "; ".join("`{}`: {}".format(p, e.replace("|", "/")) for p, e in regs[:20]))
    )
    if r["lost"]:
        out.append("| collected before, gone after | {} |".format(", ".join(f"`{p}`" for p in r["lost"][:20])))
    tests = r.get("tests")
    if tests is None:
        out.append("| tests run before and after | none: the fix changed no test and no module tests use |")
    elif not tests["files"]:
        out.append(
            f"| tests run before and after | none: the {tests['uncollected']} test files the fix can change "
            "gave no test before it |"
        )
    else:

        def outcomes(m):
            counts = Counter(m["outcomes"].values())
            text = ", ".join(f"{counts[k]} {k}" for k in ("passed", "failed", "error", "skipped") if counts[k])
            return "{} ({} s, exit {})".format(text or "no test ran", fmt_time(m), m["exit"])

        skipped = (
            f" ({tests['uncollected']} more the fix can change gave no test before it)" if tests["uncollected"] else ""
        )
        out.append(f"| tests run before and after | {len(tests['files'])} test files{skipped} |")
        out.append(f"| run before the fix | {outcomes(tests['before'])} |")
        out.append(f"| run after the fix | {outcomes(tests['after'])} |")
        broke = "; ".join(f"`{t}` ({o})" for t, o in tests["broke"][:20])
        out.append(f"| passed before, not after | {broke or 'none'} |")
    out.append("")
    warnings = fix.get("warnings") or []
    if warnings:
        more = f", the first {WARNINGS_SHOWN}" if len(warnings) > WARNINGS_SHOWN else ""
        out.append(f"fixlint fix's warnings ({len(warnings)}{more}; paths relative to the suite's root):")
        out.append("")
        out.append("```")
        out.extend(warnings[:WARNINGS_SHOWN])
        out.append("```")
        out.append("")
    if fix.get("tail"):
        out.append("fixlint fix's last output lines (stderr):")
        out.append("")
        out.append("```")
        out.append(fix["tail"])
        out.append("```")
        out.append("")
    if not collected_something(b) and b.get("tail"):
        out.append(
            "pytest's last lines before the fix: `{}`".format(b["tail"].splitlines()[-1][:200].replace("`", "'"))
        )
        out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------------


def run_suite(suite, args, env):
    name = suite["name"]
    work = os.path.abspath(args.work)
    os.makedirs(os.path.join(work, "logs"), exist_ok=True)
    log = os.path.join(work, "logs", "{}-{}.log".format(env["stamp"], name))
    print(f"# {name}: log {log}", file=sys.stderr, flush=True)
    src_root = os.path.join(work, name)
    t0 = time.perf_counter()
    extraction = extract(git_dir(args.mirrors, suite["repo"]), suite["commit"], src_root)
    reused = " [reused]" if extraction["reused"] else ""
    print(
        f"  extracted {extraction['written']} files ({extraction['missing']} missing){reused}"
        f" in {time.perf_counter() - t0:.1f}s",
        file=sys.stderr,
        flush=True,
    )
    run_dir = os.path.normpath(os.path.join(src_root, suite["folder"]))
    if not os.path.isdir(run_dir):
        raise SystemExit("{}: folder {} not found in the extraction".format(name, suite["folder"]))
    py = list(walk_files(run_dir, lambda n: n.endswith(".py")))
    counts = {
        "py": len(py),
        "bytes": sum(os.path.getsize(p) for p in py),
        "tests": sum(1 for p in py if is_test_file(os.path.basename(p))),
    }
    tmp = tempfile.mkdtemp(prefix=f"real-suite-{name}-")
    try:
        parse = check = per_rule = fixable = sampled = None
        if not args.fix_only:
            print("  (a) libcst parse ...", file=sys.stderr, flush=True)
            parse = measure_parse(run_dir, log, args.timeout, tmp)
            print("      {} s, {:.0f} MB".format(fmt_time(parse), parse["peak_mb"]), file=sys.stderr, flush=True)
            env["fixlint"] = fixlint_revision()  # others may commit while the baseline runs: the code (b) runs
            python = suite_python(suite, args)
            print(
                "  (b) fixlint check --no-cache (fixlint {}{}) ...".format(
                    env["fixlint"], f", python = {python}" if python else ""
                ),
                file=sys.stderr,
                flush=True,
            )
            check_out = os.path.join(work, f"{name}.check.json")
            check = measure_check(run_dir, log, args.timeout, args.jobs, check_out, python)
            print(
                f"      {fmt_time(check)} s, {check['peak_mb']:.0f} MB, exit {check['exit']}",
                file=sys.stderr,
                flush=True,
            )
            if check["timed_out"] or check["findings"] is None or check["exit"] not in (0, 1):
                check["tail"] = log_tail(log, check)
            if check["findings"] is not None:
                findings = [dict(f, path=suite_path(suite["folder"], f["path"])) for f in check["findings"]]
                per_rule = Counter(f["rule"] for f in findings)
                fixable = Counter(f["rule"] for f in findings if f.get("fix"))
                sampled = sample_findings(findings, name, args.seed, args.sample)
                jpath = os.path.join(JUDGMENTS_DIR, name + ".toml")
                entries = merge_judgments(load_judgments(jpath), sampled, findings)
                write_judgments(
                    jpath,
                    suite,
                    entries,
                    per_rule,
                    f"{env['when']}, fixlint {env['fixlint']}, --seed {args.seed} --sample {args.sample}",
                )
        fixres = None
        if args.fix:
            if check is not None and check["timed_out"]:
                print("  --fix skipped: the check timed out", file=sys.stderr)
            else:
                suite_env = None
                if suite.get("env"):
                    print("  the suite's environment ...", file=sys.stderr, flush=True)
                    suite_env = prepare_env(suite, args, git_dir(args.mirrors, suite["repo"]), run_dir, log)
                    print(
                        "      {}, {} left out{}".format(
                            suite_env["version"], len(suite_env["failed"]), " [reused]" if suite_env["reused"] else ""
                        ),
                        file=sys.stderr,
                        flush=True,
                    )
                print("  fix check ...", file=sys.stderr, flush=True)
                fixres = fix_check(suite, src_root, log, args, tmp, suite_env)
        text = report(suite, env, extraction, counts, parse, check, per_rule, fixable, sampled, fixres)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(text)
    print(flush=True)
    os.makedirs(RESULTS_DIR, exist_ok=True)
    rpath = os.path.join(RESULTS_DIR, "{}-{}.md".format(env["date"], name))
    fresh = not os.path.exists(rpath)
    with open(rpath, "a", encoding="utf-8") as fh:
        if fresh:
            fh.write("# fixlint on {}: {}\n\n{}\n\n".format(name, suite["repo"], suite.get("note", "")))
        fh.write(text + "\n\n")
    print(f"  written {os.path.relpath(rpath, REPO)}", file=sys.stderr, flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description="fixlint on real public pytest suites (bench/suites.toml).")
    ap.add_argument("--suites", help="comma-separated suite names (default: all)")
    ap.add_argument("--mirrors", default=DEFAULT_MIRRORS, help="folder of bare git mirrors <owner>+<name>/repo")
    ap.add_argument("--work", default=DEFAULT_WORK, help="where the suites are extracted (default: %(default)s)")
    ap.add_argument("--sample", type=int, default=20, help="findings sampled per rule for judging")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=int, default=1800, help="seconds before a measured run is killed")
    ap.add_argument("--jobs", type=int, default=2, help="passed to fixlint as --jobs (default 2)")
    ap.add_argument("--fix", action="store_true", help="also check fix --unsafe-fixes on a copy")
    ap.add_argument("--fix-only", action="store_true", help="with --fix: only the fix check, no (a), (b) or sample")
    ap.add_argument(
        "--envs",
        default=os.path.join(tempfile.gettempdir(), "fixlint-suite-envs"),
        help="where the suites' own venvs are made for --fix (default: %(default)s)",
    )
    ap.add_argument("--test-files", type=int, default=40, help="test files run before and after the fix at most")
    ap.add_argument("--per-test-timeout", type=int, default=60, help="seconds a test may take (pytest-timeout)")
    ap.add_argument(
        "--summary", action="store_true", help="print the precision per suite and rule from bench/judgments"
    )
    ap.add_argument("--config", default=SUITES_FILE, help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)  # results/ and judgments/ elsewhere (for trying the kit)
    args = ap.parse_args(argv)
    if args.out:
        global RESULTS_DIR, JUDGMENTS_DIR
        RESULTS_DIR = os.path.join(args.out, "results")
        JUDGMENTS_DIR = os.path.join(args.out, "judgments")
    names = [n.strip() for n in (args.suites or "").split(",") if n.strip()]
    if args.summary:
        summary(set(names))
        return 0
    suites = load_suites(args.config)
    unknown = set(names) - {s["name"] for s in suites}
    if unknown:
        raise SystemExit("unknown suite(s): {}".format(", ".join(sorted(unknown))))
    if not TIMEOUT_BIN:
        print("note: no `timeout` command: runs are not time-limited", file=sys.stderr)
    now = datetime.datetime.now()
    env = {
        "when": now.strftime("%Y-%m-%d %H:%M"),
        "date": now.strftime("%Y-%m-%d"),
        "stamp": now.strftime("%Y%m%d-%H%M%S"),
        "fixlint": fixlint_revision(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "jobs": args.jobs,
        "timeout": args.timeout,
    }
    for suite in suites:
        if names and suite["name"] not in names:
            continue
        run_suite(suite, args, env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
