"""`fixlint fix` killed with SIGKILL at random moments leaves every file whole.

A generated tree of ~240 files (8 folders, each a conftest with a scope cascade and 29 test
files; about two files in three get fixed, across CRLF and CR line endings, a UTF-8 BOM, a
latin-1 coding cookie, and modes 0o755 and 0o600) is fixed once to completion to learn every
file's fully fixed bytes. Then, many times over, a fresh copy of the original tree is fixed by a
real `python -m fixlint fix --unsafe-fixes .` subprocess that is SIGKILLed at a random moment.
After each kill every file must be, byte for byte, either its original or its fully fixed
version, with its mode kept, and no file may be missing. Some kills must land in the middle of
the write phase (some files written, some not), so the test cannot pass by always killing
before or after the writes.

Kill moments: a quarter of the kills wait a random delay from the start, spread over the whole
run as the calibration run measured it (analysis included); the rest pick a random file that
gets fixed, wait until it has been replaced (its inode changes on the rename), and kill after a
random extra delay of up to three times the average time a file takes to write. Those land at a
random point of the write sequence however loaded the machine is. Timing depends on the machine,
so a seed replays the same sequence of choices and delays, not the same outcomes.

A kill between the creation of the temporary file and the rename leaves that temporary file
behind: `.<name>.<random>.fixlint`, hidden, next to its target, and not a Python file, so no
run reads it. The test allows such leftovers only in that form, with content that is a prefix
of the target's fixed bytes, and no other stray file.

A killed tree that was left half written is then fixed again, uninterrupted, and must end equal
to the fully fixed tree: re-running after a crash finishes the job.

Environment:
  FIXLINT_KILLS      number of kills (default 16); e.g. FIXLINT_KILLS=500 for a long run by hand
  FIXLINT_KILL_SEED  seed of the kill delays (default: random, printed); set it to replay
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import pytest

DEFAULT_KILLS = 16
FOLDERS = 8
TESTS_PER_FOLDER = 29
BLIND_SHARE = 0.25  # kills timed from the start of the run; the rest from the first write
LEFTOVER_RE = re.compile(r"^\.(?P<name>.+)\.[^./]+\.fixlint$")  # tempfile.mkstemp(prefix=".<name>.", suffix=".fixlint")

CONFTEST = '''"""Fixtures of {folder}: caf\u00e9 na\u00efve."""
import pytest


@pytest.fixture
def request_id():
    return 7


@pytest.fixture(scope="module")
def connection(request_id):
    return {{"id": request_id}}


@pytest.fixture(scope="session")
def pool(connection):
    return [connection]
'''

LOCAL_MISMATCH = """

@pytest.fixture
def token_{n}():
    return "t{n}"


@pytest.fixture(scope="session")  # a comment that stays
def client_{n}(token_{n}):
    return {{"token": token_{n}}}


def test_client_{n}(client_{n}):
    assert client_{n}["token"] == "t{n}"
"""

POOL_AND_AUTOUSE = """

def test_pool_{n}(pool):
    assert pool[0]["id"] == 7


class TestBridge{n}:
    @pytest.fixture(scope="class", autouse=True)
    def bridge(self):
        yield

    @pytest.fixture(autouse=True)
    def per_test(self):
        yield

    def test_bridge(self):
        pass
"""

CLEAN = '''

def test_plain_{n}_{k}():
    """caf\u00e9 {k}"""
    values = [{k}, {k} + 1, {k} + 2]
    assert sum(values) == 3 * {k} + 3
'''


@dataclass(frozen=True)
class Variant:
    newline: str  # "\n", "\r\n" or "\r"
    encoding: str  # "utf-8", "utf-8-sig" (a BOM) or "latin-1" (with a coding cookie)
    mode: int


def variant_of(index: int) -> Variant:
    """Spread every newline, encoding and mode over the files, in combinations. Not a coding
    cookie with bare CR line endings: tokenize.detect_encoding reads lines up to "\n" only, so
    fixlint (unlike python) cannot read such a file and leaves it alone."""
    newline = ("\n", "\r\n", "\r")[index % 3]
    encoding = ("utf-8", "utf-8-sig", "latin-1", "utf-8")[(index // 3) % 4]
    if encoding == "latin-1" and newline == "\r":
        newline = "\r\n"
    return Variant(newline, encoding, mode=(0o644, 0o755, 0o600, 0o644, 0o644)[(index // 12) % 5])


def encode(text: str, variant: Variant) -> bytes:
    if variant.encoding == "latin-1":
        text = "# -*- coding: latin-1 -*-\n" + text
    return text.replace("\n", variant.newline).encode(variant.encoding)


def write_tree(root: Path) -> dict[str, Variant]:
    """Write the tree; returns each Python file's variant by relative path."""
    root.mkdir()
    variants = {}
    (root / "pytest.ini").write_bytes(b"[pytest]\n")
    index = 0
    for f in range(FOLDERS):
        folder = root / f"pkg_{f:02d}"
        folder.mkdir()
        files = {"conftest.py": CONFTEST.format(folder=folder.name)}
        for t in range(TESTS_PER_FOLDER):
            n = f * 100 + t
            text = f'"""Tests {n}: caf\u00e9."""\nimport pytest\n'
            if t % 3 == 1:
                text += LOCAL_MISMATCH.format(n=n)
            elif t % 3 == 2 or t == 0:
                text += POOL_AND_AUTOUSE.format(n=n)
            text += "".join(CLEAN.format(n=n, k=k) for k in range(1 + t % 4))
            files[f"test_{n:04d}.py"] = text
        for name, text in files.items():
            variant = variant_of(index)
            index += 1
            path = folder / name
            path.write_bytes(encode(text, variant))
            path.chmod(variant.mode)
            variants[path.relative_to(root).as_posix()] = variant
    return variants


def check_form(data: bytes, variant: Variant, name: str) -> None:
    """The bytes keep the variant's encoding, BOM and line endings (one style, no mix)."""
    assert data.startswith(b"\xef\xbb\xbf") == (variant.encoding == "utf-8-sig"), f"{name}: BOM lost or added"
    text = data.decode(variant.encoding)
    assert "caf\u00e9" in text, f"{name}: not decodable as {variant.encoding}"
    others = text.replace(variant.newline, "")
    assert "\r" not in others and "\n" not in others, f"{name}: line endings other than {variant.newline!r}"


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under root: relative path -> (bytes, mode)."""
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            files[path.relative_to(root).as_posix()] = (path.read_bytes(), stat.S_IMODE(path.stat().st_mode))
    return files


def fixlint_command() -> list[str]:
    return [sys.executable, "-m", "fixlint", "fix", "--unsafe-fixes", "."]


def fix_to_completion(root: Path, env: dict[str, str]) -> None:
    done = subprocess.run(
        fixlint_command(), check=False, cwd=root, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr


def folder_mtimes(folders: list[Path]) -> list[int]:
    return [folder.stat().st_mtime_ns for folder in folders]


@dataclass
class Kill:
    """One fix run and when it was killed (or finished)."""

    first_write: float | None = None  # seconds from the start until a folder's mtime moved
    end: float = 0.0  # seconds from the start until it was killed or exited
    finished: bool = False  # exited on its own before the kill
    returncode: int = 0


def run_and_kill(
    root: Path,
    env: dict[str, str],
    delay: float | None = None,
    after: str | None = None,
    extra: float = 0.0,
    signum: int = signal.SIGKILL,
) -> Kill:
    """Start `fix` in root and SIGKILL it: `delay` seconds after the start, or `extra` seconds
    after the file `after` was replaced (its inode changes on the rename); with neither, let
    it finish."""
    folders = sorted(path for path in root.iterdir() if path.is_dir())
    baseline = folder_mtimes(folders)
    watched = root / after if after is not None else None
    watched_inode = watched.stat().st_ino if watched is not None else None
    kill = Kill()
    start = time.monotonic()
    # A session of its own: the workers of its pool can be found, and must end with it.
    process = subprocess.Popen(
        fixlint_command(),
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = start + delay if delay is not None else None
        while True:
            now = time.monotonic()
            if process.poll() is not None:
                kill.finished = True
                break
            if kill.first_write is None and folder_mtimes(folders) != baseline:
                kill.first_write = now - start
            if watched is not None and deadline is None and watched.stat().st_ino != watched_inode:
                deadline = now + extra
            if deadline is not None and now >= deadline:
                process.send_signal(signum)
                break
            if now - start > 300:
                raise AssertionError("fixlint fix ran for more than 300 s")
            time.sleep(0.001)
        kill.end = time.monotonic() - start
    finally:
        if signum != signal.SIGKILL and kill.end:
            try:
                process.wait(timeout=60)  # a catchable signal: let it unwind
            except subprocess.TimeoutExpired:
                pass
        if process.poll() is None:
            process.kill()
        process.wait()
        survivors = _survivors(process.pid)
    assert not survivors, f"processes of the killed run still live: {survivors}"
    if kill.finished and process.returncode not in (0, 1):
        raise AssertionError(f"fixlint fix exited with {process.returncode}")
    kill.returncode = process.returncode
    return kill


def _survivors(group: int, patience: float = 10.0) -> list[int]:
    """The processes of the run's session still alive after ``patience`` seconds (its pool's
    workers end on their own once their parent is gone), killed then so that none outlives the test."""
    deadline = time.monotonic() + patience
    while True:
        members = [
            int(entry.name)
            for entry in Path("/proc").iterdir()
            if entry.name.isdigit() and _session_of(int(entry.name)) == group
        ]
        if not members or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    for pid in members:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return members


def _session_of(pid: int) -> Optional[int]:
    try:
        # Field 6 of /proc/PID/stat, after the command in parentheses, is the session id.
        return int((Path("/proc") / str(pid) / "stat").read_text().rpartition(")")[2].split()[3])
    except (OSError, ValueError, IndexError):
        return None


@dataclass
class Tally:
    untouched: int = 0
    mid_write: int = 0
    complete: int = 0
    finished_before_kill: int = 0
    leftovers: list[str] = field(default_factory=list)
    reruns: int = 0


def check_killed_tree(
    root: Path, original: dict[str, tuple[bytes, int]], fixed: dict[str, tuple[bytes, int]], context: str
) -> tuple[int, list[str]]:
    """Every file is its original or its fixed version, mode kept, none missing; only
    recognisable partial temporary files may be extra. Returns (files written, leftovers)."""
    now = snapshot(root)
    missing = sorted(set(original) - set(now))
    assert not missing, f"{context}: files lost: {missing}"
    written = 0
    for name, (before, mode) in original.items():
        data, now_mode = now[name]
        assert data in (before, fixed[name][0]), f"{context}: {name} is neither its original nor its fixed version"
        assert now_mode == mode, f"{context}: {name} mode {oct(now_mode)}, was {oct(mode)}"
        written += data != before
    leftovers = []
    for name in sorted(set(now) - set(original)):
        match = LEFTOVER_RE.match(Path(name).name)
        target = (Path(name).parent / match.group("name")).as_posix() if match else None
        assert target in original, f"{context}: stray file {name} (not a fixlint temporary file of a tree file)"
        assert fixed[target][0].startswith(now[name][0]), (
            f"{context}: temporary {name} is not a prefix of {target}'s fixed bytes"
        )
        leftovers.append(name)
    return written, leftovers


def test_sigkill_leaves_every_file_original_or_fixed(tmp_path: Path) -> None:
    kills = int(os.environ.get("FIXLINT_KILLS", DEFAULT_KILLS))
    seed = int(os.environ.get("FIXLINT_KILL_SEED") or random.SystemRandom().randrange(2**32))
    print(f"FIXLINT_KILL_SEED={seed} FIXLINT_KILLS={kills}")
    rng = random.Random(seed)
    env = {**os.environ, "FIXLINT_CACHE_DIR": str(tmp_path / "cache")}

    source = tmp_path / "original"
    variants = write_tree(source)
    original = snapshot(source)

    # The fully fixed version, and how long analysis and writes take.
    calibration = tmp_path / "calibration"
    shutil.copytree(source, calibration)
    run_and_kill(calibration, env)  # cold: fills the cache
    fixed = snapshot(calibration)
    assert set(fixed) == set(original), "a complete fix run added or removed files"
    changed = [name for name in original if fixed[name][0] != original[name][0]]
    assert len(changed) >= 50, f"only {len(changed)} files change: the kills would prove little"
    assert all(fixed[name][1] == original[name][1] for name in original), "the complete run changed a mode"
    shutil.rmtree(calibration)
    shutil.copytree(source, calibration)
    timing = run_and_kill(calibration, env)  # warm, as every kill run
    assert snapshot(calibration) == fixed, "two complete fix runs disagree"
    assert timing.first_write is not None, "the calibration run's writes went unseen"
    changed_variants = {variants[name] for name in changed}
    assert {v.newline for v in changed_variants} == {"\n", "\r\n", "\r"}
    assert {v.encoding for v in changed_variants} == {"utf-8", "utf-8-sig", "latin-1"}
    assert {v.mode for v in changed_variants} >= {0o644, 0o755, 0o600}
    for name in changed:  # the fixed versions the kills are compared with keep the file's form
        check_form(fixed[name][0], variants[name], name)
    analysis, total = timing.first_write, timing.end
    per_file = max(total - analysis, 0.005) / len(changed)
    print(
        f"calibration: {len(original)} files, {len(changed)} fixed; analysis {analysis:.3f}s, "
        f"writes {total - analysis:.3f}s ({1000 * per_file:.1f} ms a file), total {total:.3f}s"
    )

    tally = Tally()
    max_reruns = max(2, kills // 10)
    for number in range(kills):
        context = f"kill {number} (FIXLINT_KILL_SEED={seed})"
        root = tmp_path / f"kill_{number:03d}"
        shutil.copytree(source, root)
        if rng.random() < BLIND_SHARE:
            kill = run_and_kill(root, env, delay=rng.uniform(0, total * 1.1))
        else:
            kill = run_and_kill(root, env, after=rng.choice(changed), extra=rng.uniform(0, 3 * per_file))
        written, leftovers = check_killed_tree(root, original, fixed, context)
        tally.leftovers += [f"kill_{number:03d}/{name}" for name in leftovers]
        if kill.finished:
            tally.finished_before_kill += 1
            assert written == len(changed) and not leftovers, f"{context}: exited on its own but did not finish"
        if written == 0:
            tally.untouched += 1
        elif written == len(changed):
            tally.complete += 1
        else:
            tally.mid_write += 1
        if 0 < written < len(changed) and tally.reruns < max_reruns:
            fix_to_completion(root, env)
            after = snapshot(root)
            leftovers_after = set(after) - set(original)
            for name in original:
                assert after[name] == fixed[name], (
                    f"{context}: after a re-run, {name} differs from the fully fixed version"
                )
            assert leftovers_after <= set(leftovers), (
                f"{context}: the re-run left new files: {leftovers_after - set(leftovers)}"
            )
            tally.reruns += 1
        shutil.rmtree(root)
        print(
            f"{context}: {written}/{len(changed)} written at {kill.end:.3f}s{' (finished)' if kill.finished else ''}"
            f"{f', leftovers {leftovers}' if leftovers else ''}"
        )

    print(
        f"kills {kills}: untouched {tally.untouched}, mid-write {tally.mid_write}, complete {tally.complete} "
        f"(finished before the kill {tally.finished_before_kill}); re-runs {tally.reruns}; "
        f"temporary files left {len(tally.leftovers)} {tally.leftovers}"
    )
    assert tally.mid_write >= min(3, kills), f"only {tally.mid_write} kills landed mid-write (FIXLINT_KILL_SEED={seed})"


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-s", *sys.argv[1:]]))


def test_sigterm_mid_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    """A timeout or a cancelled job sends SIGTERM: fixlint unwinds, and the write it was in
    removes its temporary file."""
    env = {**os.environ, "FIXLINT_CACHE_DIR": str(tmp_path / "cache")}
    source = tmp_path / "original"
    write_tree(source)
    original = snapshot(source)
    complete = tmp_path / "complete"
    shutil.copytree(source, complete)
    fix_to_completion(complete, env)
    fixed = snapshot(complete)
    changed = sorted(name for name in original if fixed[name][0] != original[name][0])
    terminated = 0
    for number, after in enumerate(changed[:: max(1, len(changed) // 4)][:4]):
        root = tmp_path / f"term_{number}"
        shutil.copytree(source, root)
        kill = run_and_kill(root, env, after=after, signum=signal.SIGTERM)
        written, leftovers = check_killed_tree(root, original, fixed, f"SIGTERM {number}")
        assert not leftovers, leftovers
        if not kill.finished:
            terminated += 1
            assert kill.returncode == 128 + signal.SIGTERM, kill.returncode
    assert terminated, "every run finished before its SIGTERM"


def test_ctrl_c_stops_fixlint_and_its_workers_and_exits_130(tmp_path: Path) -> None:
    """Ctrl-C sends SIGINT to the whole foreground group: fixlint and its pool's workers stop,
    none survives, and the exit status is 130, not the 1 of "findings remain"."""
    for number in range(1500):
        folder = tmp_path / f"pkg{number % 30}"
        folder.mkdir(exist_ok=True)
        (folder / f"test_m{number}.py").write_text(
            "import pytest\n\n\n@pytest.fixture\ndef value():\n    return 1\n\n\n"
            + "".join(f"def test_{k}(value):\n    assert value + {k}\n\n\n" for k in range(20))
        )
    env = {**os.environ, "FIXLINT_CACHE_DIR": str(tmp_path / "cache")}
    process = subprocess.Popen(
        [sys.executable, "-m", "fixlint", "check", "--no-cache", "--jobs", "2", "."],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        # The default action, as in a terminal: a test runner may have ignored SIGINT.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            members = [entry for entry in Path("/proc").iterdir() if entry.name.isdigit()]
            if sum(_session_of(int(entry.name)) == process.pid for entry in members) >= 3:
                break  # fixlint and its two workers
            time.sleep(0.05)
        assert process.poll() is None, "fixlint finished before its workers could be interrupted"
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        survivors = _survivors(process.pid)
    assert not survivors, f"processes of the interrupted run still live: {survivors}"
    assert process.returncode == 130, (process.returncode, stderr)
    assert b"Traceback" not in stderr, stderr
