#!/usr/bin/env python3
"""Benchmark fixlint against a plain LibCST parse of the same files.

    python bench/run.py [--files N] [--runs R] [--corpus DIR] [--jobs J] [--keep]
    python bench/run.py --scaling [--scaling-sizes 1000,5000,20000] [--runs R]

Variants (each one a subprocess, cwd = the corpus, run in a rotated order every round):
  (a) parse        libcst.parse_module on every .py file, one process
  (b) check-cold   fixlint check --no-cache .
  (c) check-warm   fixlint check .            (cache filled beforehand, nothing changed)
  (d) check-1-edit fixlint check .            (one test file changed: a comment appended)
  (f) check-1-test fixlint check .            (one test file changed: a test function appended)
  (e) fix-diff     fixlint fix --diff --no-cache .
Peak memory: the larger of the child's own ru_maxrss (os.wait4) and the sampled sum of RSS
over its process tree (Linux /proc), so worker pools count in full. Stdlib only.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_corpus  # noqa: E402

PARSE_SCRIPT = r"""
import os, sys, libcst
skip = {".git", ".fixlint_cache", "__pycache__", ".venv"}
n = 0
for root, dirs, files in os.walk("."):
    dirs[:] = sorted(d for d in dirs if d not in skip)
    for name in sorted(files):
        if name.endswith(".py"):
            with open(os.path.join(root, name), "rb") as fh:
                libcst.parse_module(fh.read())
            n += 1
print(n, "files parsed")
"""

LABELS = {
    "a": "(a) libcst parse",
    "b": "(b) check --no-cache",
    "c": "(c) check warm",
    "d": "(d) check 1 changed",
    "e": "(e) fix --diff --no-cache",
    "f": "(f) check 1 test added",
}


# ---------------------------------------------------------------------------------------------
# process running with peak memory
# ---------------------------------------------------------------------------------------------


def _maxrss_mb(ru_maxrss):
    # Linux reports KiB, macOS bytes.
    return ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else ru_maxrss / 1024


def _tree_rss_bytes(root_pid):
    """Sum of RSS over root_pid and its descendants (Linux only; 0 elsewhere)."""
    if not os.path.isdir("/proc"):
        return 0
    parents = {}
    rss = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry, "rb") as fh:
                stat = fh.read().decode("ascii", "replace")
            fields = stat[stat.rindex(")") + 2 :].split()
            pid = int(entry)
            parents[pid] = int(fields[1])
            rss[pid] = int(fields[21]) * page
        except (OSError, ValueError, IndexError):
            continue
    total, stack, seen = 0, [root_pid], set()
    children = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total


def run_measured(cmd, cwd, log_path):
    """Run cmd; return (seconds, exit code, peak MB)."""
    with open(log_path, "ab") as log:
        log.write(("\n$ %s\n" % " ".join(cmd)).encode())
        log.flush()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=log)
        peak_tree = [0]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak_tree[0] = max(peak_tree[0], _tree_rss_bytes(proc.pid))
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # wait4 gives this child's own rusage (and that of the descendants it waited for).
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else (status >> 8)
    peak = max(_maxrss_mb(usage.ru_maxrss), peak_tree[0] / (1024 * 1024))
    return elapsed, proc.returncode, peak


# ---------------------------------------------------------------------------------------------
# variants
# ---------------------------------------------------------------------------------------------


def fixlint_features():
    out = subprocess.run([sys.executable, "-m", "fixlint", "check", "--help"], capture_output=True, text=True).stdout
    return {"no_cache": "--no-cache" in out, "jobs": "--jobs" in out}


def test_files(corpus):
    found = []
    for root, dirs, files in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        found.extend(os.path.join(root, f) for f in sorted(files) if f.startswith("test_") and f.endswith(".py"))
    return found


class Bench:
    def __init__(self, corpus, jobs, log_path):
        self.corpus = corpus
        self.log = log_path
        self.features = fixlint_features()
        self.jobs_args = []
        if jobs is not None:
            if self.features["jobs"]:
                self.jobs_args = ["--jobs", str(jobs)]
            else:
                print("note: this fixlint has no --jobs option; --jobs ignored")
        self.files = test_files(corpus)
        self.edits = 0

    def variants(self):
        v = ["a", "b"]
        if self.features["no_cache"]:
            v += ["c", "d", "f"]
        v.append("e")
        return v

    def fixlint(self, *args):
        return [sys.executable, "-m", "fixlint"] + list(args) + self.jobs_args

    def command(self, key):
        nc = ["--no-cache"] if self.features["no_cache"] else []
        if key == "a":
            return [sys.executable, "-c", PARSE_SCRIPT]
        if key == "b":
            return self.fixlint("check", *nc, ".")
        if key in ("c", "d", "f"):
            return self.fixlint("check", ".")
        if key == "e":
            return self.fixlint("fix", "--diff", *nc, ".")
        raise KeyError(key)

    def prepare(self, key):
        if key in ("d", "f"):
            # a different file each round, spread over the tree
            path = self.files[(self.edits * 7919) % len(self.files)]
            self.edits += 1
            # (d) leaves what the file says alone; (f) adds a test, which the project pass must see
            edit = "# bench edit %d\n" if key == "d" else "\n\ndef test_bench_edit_%d():\n    assert True\n"
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(edit % self.edits)

    def warm_up(self):
        if self.features["no_cache"]:
            print("filling the cache (fixlint check .) ...", flush=True)
            t, rc, _ = run_measured(self.fixlint("check", "."), self.corpus, self.log)
            print("  done in %.1fs (exit %d)" % (t, rc), flush=True)

    def run(self, runs):
        keys = self.variants()
        results = {k: [] for k in keys}
        codes = {k: set() for k in keys}
        for r in range(runs):
            order = keys[r % len(keys) :] + keys[: r % len(keys)]
            for key in order:
                self.prepare(key)
                t, rc, mb = run_measured(self.command(key), self.corpus, self.log)
                results[key].append((t, mb))
                codes[key].add(rc)
                print("  round %d %-26s %8.2fs  %7.1f MB  exit %d" % (r + 1, LABELS[key], t, mb, rc), flush=True)
        for key, rcs in codes.items():
            bad = rcs - {0, 1}
            if bad:
                print("warning: %s exited %s (see %s)" % (LABELS[key], sorted(bad), self.log))
        return results


def print_table(results, n_files):
    base = statistics.median(t for t, _ in results["a"])
    print()
    print("%-28s %10s %10s %10s %10s" % ("variant", "median s", "ratio/(a)", "ms/file", "peak MB"))
    print("-" * 72)
    for key in ("a", "b", "c", "d", "f", "e"):
        if key not in results:
            continue
        med = statistics.median(t for t, _ in results[key])
        peak = max(mb for _, mb in results[key])
        print("%-28s %10.2f %9.3fx %10.2f %10.1f" % (LABELS[key], med, med / base, 1000 * med / n_files, peak))
    print()
    print("targets: (b) <= 0.5x, (c) <= 0.05x, (d) and (f) <= 0.08x, peak < 500 MB at 3,000 files")


# ---------------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------------


def ensure_corpus(path, files, seed):
    if os.path.isdir(path) and any(
        f.startswith("test_") or os.path.isdir(os.path.join(path, f)) for f in os.listdir(path)
    ):
        print("using existing corpus %s (variants d and f append to its test files)" % path)
        return
    t = time.perf_counter()
    info = make_corpus.generate(path, files, seed)
    print(
        "generated %s: %d test files, %.1f MB, average %.1f KB (%.1fs)"
        % (path, info["files"], info["bytes"] / 1048576, info["bytes"] / info["files"] / 1024, time.perf_counter() - t),
        flush=True,
    )


def scaling(args, tmp_root, log):
    sizes = [int(s) for s in args.scaling_sizes.split(",") if s.strip()]
    feats = fixlint_features()
    rows = []
    for n in sizes:
        corpus = os.path.join(tmp_root, "scale_%d" % n)
        ensure_corpus(corpus, n, args.seed)
        bench = Bench(corpus, args.jobs, log)
        times, peaks = [], []
        for r in range(args.runs):
            t, rc, mb = run_measured(bench.command("b"), corpus, log)
            times.append(t)
            peaks.append(mb)
            print("  %6d files round %d: %.2fs  %.1f MB  exit %d" % (n, r + 1, t, mb, rc), flush=True)
        rows.append((n, statistics.median(times), max(peaks)))
        if not args.keep:
            shutil.rmtree(corpus, ignore_errors=True)
    print()
    print(
        "cold check%s, time per file by corpus size"
        % ("" if feats["no_cache"] else " (no --no-cache: cache may be written)")
    )
    print("%10s %10s %10s %10s %10s" % ("files", "median s", "ms/file", "vs first", "peak MB"))
    print("-" * 54)
    first = rows[0][1] / rows[0][0]
    for n, med, peak in rows:
        per = med / n
        print("%10d %10.2f %10.2f %9.2fx %10.1f" % (n, med, 1000 * per, per / first, peak))
    pers = [med / n for n, med, _ in rows]
    spread = max(pers) / min(pers) - 1
    print("\nspread of time per file: %.0f%% (target: within 25%%)" % (100 * spread))


def main(argv=None):
    ap = argparse.ArgumentParser(description="Benchmark fixlint against a plain LibCST parse.")
    ap.add_argument("--files", type=int, default=3000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--corpus", help="corpus folder (generated there if missing or empty); default: a temp dir")
    ap.add_argument("--jobs", type=int, help="passed to fixlint as --jobs J, when it supports it")
    ap.add_argument("--keep", action="store_true", help="keep generated corpora")
    ap.add_argument("--scaling", action="store_true", help="cold check time per file across corpus sizes")
    ap.add_argument("--scaling-sizes", default="1000,5000,20000")
    args = ap.parse_args(argv)

    feats = fixlint_features()
    if not feats["no_cache"]:
        print("note: `fixlint check` has no --no-cache option: (b) and (e) run without it, (c) and (d) are skipped")

    tmp_root = tempfile.mkdtemp(prefix="fixlint-bench-")
    log = os.path.join(tmp_root, "bench.log")
    print("subprocess output: %s" % log)
    try:
        if args.scaling:
            scaling(args, tmp_root, log)
            return 0
        corpus = os.path.abspath(args.corpus) if args.corpus else os.path.join(tmp_root, "corpus")
        ensure_corpus(corpus, args.files, args.seed)
        bench = Bench(corpus, args.jobs, log)
        n_files = len(bench.files)
        bench.warm_up()
        results = bench.run(args.runs)
        print_table(results, n_files)
        print("%d test files, %d run(s); log: %s" % (n_files, args.runs, log))
        return 0
    finally:
        if not args.keep:
            # keep the log, drop the corpora we generated
            for name in os.listdir(tmp_root):
                p = os.path.join(tmp_root, name)
                if os.path.isdir(p):
                    shutil.rmtree(p, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
