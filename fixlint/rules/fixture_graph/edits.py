"""Fixes of the fixture-graph family: a test's unread fixture parameters become a
``usefixtures`` mark. A LibCST transformer rewrites the one function; the result becomes one
edit, the span where the module's old and new text differ."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Optional

from fixlint.files.source_text import SourceText
from fixlint.findings import Edit

# A line with its ending, as ``SourceText`` counts lines (``\n``, ``\r\n``, ``\r``).
LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def usefixtures_edit(path: str, data: bytes, qualname: str, names: Sequence[str]) -> Optional[Edit]:
    """The edit that moves ``names`` from the parameters of the function ``qualname`` to a
    ``pytest.mark.usefixtures`` mark; None when the module does not parse or nothing changes."""
    from fixlint.rules.fixture_graph.usefixtures import moved_to_usefixtures  # LibCST only to rewrite

    source = SourceText.decode(data)
    after = moved_to_usefixtures(source.text, qualname, names)
    return None if after is None else changed_span(path, source.text, after)


def changed_span(path: str, before: str, after: str) -> Optional[Edit]:
    """One edit from ``before`` to ``after``: the text between their common prefix and suffix,
    whole lines (a CRLF is never split)."""
    if before == after:
        return None
    before_lines, after_lines = LINE_RE.findall(before), LINE_RE.findall(after)
    head = 0
    while head < min(len(before_lines), len(after_lines)) and before_lines[head] == after_lines[head]:
        head += 1
    tail = 0
    while tail < min(len(before_lines), len(after_lines)) - head and before_lines[-1 - tail] == after_lines[-1 - tail]:
        tail += 1
    replaced = before_lines[head : len(before_lines) - tail]
    content = "".join(after_lines[head : len(after_lines) - tail])
    last = replaced[-1] if replaced else "\n"
    if last.endswith(("\n", "\r")):  # up to the start of the line after the change
        return Edit(path, head + 1, 1, head + 1 + len(replaced), 1, content)
    return Edit(path, head + 1, 1, head + len(replaced), len(last) + 1, content)  # the last line, unended
