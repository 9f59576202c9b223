"""The facts the reader gives for odd shapes of code, pinned by snapshots.

Each module of ``tests/facts_shapes/`` (tabs, form feeds, one-line bodies, ``match``, f-strings,
parentheses, unicode, suppressions...) is read as it is and in each variant of its encoding and
line endings (CRLF, lone CR, mixed, a BOM, latin-1 with a cookie, no final newline). The plain
form of its facts (``fixlint.facts.store.facts_text``), pretty-printed, must equal the snapshot
next to it, ``<name>[.<variant>].facts.json``; ``path`` in it is the name relative to that folder,
so that the snapshots do not depend on the checkout.

The snapshots were first written by the two readers fixlint had before it kept only the ``ast``
one (LibCST's, and the fast one on ``ast``, kept equal by a parity test): they prove the facts
unchanged. After a deliberate change of the facts, rewrite them with
``FIXLINT_REGENERATE=1 python -m pytest tests/test_facts_snapshots.py`` (which writes the snapshots
this Python compares to) and review the diff.

Where Python versions' ``ast`` read a module differently, which the facts show, the snapshot of
the later versions is ``<name>[.<variant>].facts-3.<minor>.json``: used from that version on.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Callable, Optional

import pytest

from fixlint.facts.model import FileFacts
from fixlint.facts.reader import read_facts
from fixlint.facts.store import facts_text

SHAPES = Path(__file__).resolve().parent / "facts_shapes"
REGENERATE = os.environ.get("FIXLINT_REGENERATE") == "1"

# The encodings and line endings each module is also read in, made from its UTF-8, LF text.
VARIANTS: dict[str, Callable[[str], bytes]] = {
    "crlf": lambda text: text.replace("\n", "\r\n").encode(),
    "cr": lambda text: text.replace("\n", "\r").encode(),
    "mixed": lambda text: "".join(
        line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(text.split("\n"))
    ).encode(),
    "bom": lambda text: b"\xef\xbb\xbf" + text.encode(),
    "latin-1": lambda text: ("# -*- coding: latin-1 -*-\n" + text).encode("latin-1", "replace"),
    "no-final-newline": lambda text: text.rstrip("\n").encode(),
}
# Modules whose syntax older Pythons do not have: there they are a syntax error, as they should.
NEEDS = {"shapes_calls": (3, 10), "shapes_match": (3, 10)}
VERSIONED_RE = re.compile(r"\.facts-3\.(\d+)\.json")


def modules() -> list[Path]:
    return sorted(SHAPES.glob("*.py"))


def cases() -> list[tuple[Path, Optional[str]]]:
    return [(module, variant) for module in modules() for variant in [None, *VARIANTS]]


def case_name(module: Path, variant: Optional[str]) -> str:
    return module.stem if variant is None else f"{module.stem}.{variant}"


def source(module: Path, variant: Optional[str]) -> bytes:
    return module.read_bytes() if variant is None else VARIANTS[variant](module.read_text(encoding="utf-8"))


def snapshot_text(facts: FileFacts) -> str:
    """Facts as a snapshot holds them: their plain form, pretty-printed."""
    return pretty(json.loads(facts_text(facts))) + "\n"


def pretty(value: Any, indent: str = "") -> str:
    """JSON, one member a line, but for a list or object of plain values that fits on one line
    (a span, a name list): a change shows as the lines of the facts it changes."""
    flat = json.dumps(value, ensure_ascii=False)
    if not isinstance(value, (list, dict)) or not value:
        return flat
    members = value.values() if isinstance(value, dict) else value
    if len(flat) + len(indent) <= 100 and not any(isinstance(m, (list, dict)) and m for m in members):
        return flat
    inner = indent + " "
    if isinstance(value, dict):
        lines = [
            f"{inner}{json.dumps(key, ensure_ascii=False)}: {pretty(member, inner)}" for key, member in value.items()
        ]
        return "{\n" + ",\n".join(lines) + "\n" + indent + "}"
    return "[\n" + ",\n".join(inner + pretty(member, inner) for member in value) + "\n" + indent + "]"


def snapshot_of(name: str) -> Path:
    """The snapshot this Python's facts are compared to: the versioned one of the latest version
    up to this one, else ``<name>.facts.json``."""
    versions = [
        int(match.group(1))
        for path in SHAPES.glob("*.json")
        if path.name.startswith(f"{name}.facts-") and (match := VERSIONED_RE.fullmatch(path.name[len(name) :]))
    ]
    versions = [minor for minor in versions if (3, minor) <= sys.version_info[:2]]
    return SHAPES / (f"{name}.facts-3.{max(versions)}.json" if versions else f"{name}.facts.json")


@pytest.mark.parametrize(("module", "variant"), [pytest.param(m, v, id=case_name(m, v)) for m, v in cases()])
def test_facts_match_the_snapshot(module: Path, variant: Optional[str]) -> None:
    needs = NEEDS.get(module.stem)
    if needs is not None and sys.version_info < needs:
        pytest.skip(f"{module.name} needs Python {needs[0]}.{needs[1]}")
    name = case_name(module, variant)
    facts = read_facts(f"{name}.py", source(module, variant))
    assert facts.syntax_error is None, f"{name}: {facts.syntax_error}"
    actual = snapshot_text(facts)
    snapshot = snapshot_of(name)
    if REGENERATE:
        snapshot.write_text(actual, encoding="utf-8")
        return
    assert snapshot.exists(), f"no snapshot {snapshot.name}: write it with FIXLINT_REGENERATE=1"
    expected = snapshot.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), snapshot.name, "facts now", lineterm="", n=2
        )
        pytest.fail(f"{name}: the facts differ from {snapshot.name}\n" + "\n".join(list(diff)[:80]))


def test_every_snapshot_has_its_module() -> None:
    """No snapshot is left behind by a module or a variant that is gone."""
    names = {case_name(module, variant) for module, variant in cases()}
    orphans = [
        path.name for path in SHAPES.glob("*.json") if re.sub(r"\.facts(-3\.\d+)?\.json$", "", path.name) not in names
    ]
    assert not orphans


def test_the_variants_are_what_they_say() -> None:
    """Each variant does change the bytes in the way it is named for, on every module."""
    for module in modules():
        text = module.read_text(encoding="utf-8")
        assert "\r" not in text and not text.startswith("\ufeff") and text.endswith("\n"), module.name
        made = {variant: source(module, variant) for variant in VARIANTS}
        assert made["crlf"].count(b"\r\n") == text.count("\n")
        assert b"\n" not in made["cr"] and made["cr"].count(b"\r") == text.count("\n")
        assert b"\r\n" in made["mixed"] and re.search(rb"[^\r]\n", made["mixed"])
        assert made["bom"].startswith(b"\xef\xbb\xbf")
        assert made["latin-1"].startswith(b"# -*- coding: latin-1 -*-\n")
        assert not made["no-final-newline"].endswith((b"\n", b"\r"))
