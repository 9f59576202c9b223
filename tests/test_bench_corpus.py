"""Every fix family on a realistic generated suite (bench/make_corpus.py): fixed files parse, a
second `fix` changes nothing, and nothing fixable is left."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import libcst

REPO = Path(__file__).resolve().parent.parent


def fixlint(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fixlint", *args], cwd=root, capture_output=True, text=True, timeout=600
    )


def test_fix_on_the_bench_corpus_parses_and_is_idempotent(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "make_corpus.py"), str(root), "--files", "160"],
        check=True,
        capture_output=True,
    )
    before = {path: path.read_bytes() for path in root.rglob("*.py")}
    findings = json.loads(fixlint(root, "check", "--format", "json", "--exit-zero", ".").stdout)
    assert {f["rule"] for f in findings} >= {
        "fixture-scope-mismatch",
        "legacy-mock-wrapper",
        "required-events-standard",
    }

    first = fixlint(root, "fix", "--unsafe-fixes", ".")
    assert first.returncode in (0, 1), first.stderr
    changed = [path for path, data in before.items() if path.read_bytes() != data]
    assert changed
    for path in changed:
        libcst.parse_module(path.read_bytes())
    second = fixlint(root, "fix", "--unsafe-fixes", "--diff", ".")
    assert second.returncode == 0 and "+++" not in second.stdout, second.stdout
    left = json.loads(fixlint(root, "check", "--unsafe-fixes", "--format", "json", "--exit-zero", ".").stdout)
    assert not [f for f in left if f["fix"]]
