"""The code frame of a finding (ruff's ``full`` format): its lines, two of context around them,
and carets under its span. Columns are characters; the carets follow what a terminal shows
(tabs to stops of four, wide characters two cells, combining marks none)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from fixlint.output.style import Style

NEWLINE_RE = re.compile(r"\r\n|\r|\n")  # the line breaks ast counts lines by
CONTEXT = 2  # lines shown before and after the span
LONG_SPAN = 8  # a span of more lines shows its first and last few only
TAB_STOP = 4


def source_lines(text: str) -> list[str]:
    """The lines as ``ast`` numbers them; a last line break makes an empty last line (EOF)."""
    return NEWLINE_RE.split(text)


def code_frame(lines: Sequence[str], line: int, column: int, end_line: int, end_column: int, style: Style) -> list[str]:
    first = min(max(line, 1), len(lines))
    last = min(max(end_line, first), len(lines))
    if last > first and end_column <= 1:  # a span that ends where a line starts holds none of it
        last -= 1
    span = list(range(first, last + 1))
    if len(span) > LONG_SPAN:
        span = span[: LONG_SPAN // 2] + [0] + span[-2:]  # 0: the lines left out
    before = [n for n in range(max(first - CONTEXT, 1), first)]
    after = [n for n in range(last + 1, min(last + CONTEXT, len(lines)) + 1)]
    while before and not lines[before[0] - 1].strip():  # blank context at the edges says nothing
        before.pop(0)
    while after and not lines[after[-1] - 1].strip():
        after.pop()
    shown = [*before, *span, *after]
    width = len(str(max(shown)))
    bar = style.gutter(" " * width + " |")
    out = [bar]
    for number in shown:
        if number == 0:
            out.append(style.gutter("." * width + " |") + " ...")
            continue
        text = _displayed(lines[number - 1])
        out.append((style.gutter(f"{number:>{width}} |") + " " + text).rstrip())
        if first <= number <= last and (number in (first, last) or lines[number - 1].strip()):
            raw = lines[number - 1]
            start = column - 1 if number == first else len(raw) - len(raw.lstrip())
            stop = end_column - 1 if number == last else len(raw.rstrip())
            out.append(f"{bar} {_underline(raw, max(start, 0), stop, style)}")
    out.append(bar)
    return out


def _cells(char: str, at: int) -> int:
    """The terminal cells ``char`` takes when it starts at cell ``at``."""
    if char == "\t":
        return TAB_STOP - at % TAB_STOP
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _displayed(text: str) -> str:
    """The line as the frame prints it: tabs expanded, other control characters made visible."""
    out: list[str] = []
    at = 0
    for char in text:
        cells = _cells(char, at)
        out.append(" " * cells if char == "\t" else ("\ufffd" if unicodedata.category(char) == "Cc" else char))
        at += cells
    return "".join(out)


def _underline(text: str, start: int, stop: int, style: Style) -> str:
    """Spaces up to character ``start``, then a caret per cell to character ``stop`` (one at least);
    past the line's end, a character is a cell (where a span reaches the line break)."""
    offsets = [0]
    for char in text:
        offsets.append(offsets[-1] + _cells(char, offsets[-1]))

    def cell(index: int) -> int:
        return offsets[min(index, len(text))] + max(index - len(text), 0)

    begin = cell(start)
    return " " * begin + style.caret("^" * max(cell(stop) - begin, 1))
