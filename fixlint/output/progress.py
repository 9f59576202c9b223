"""The progress line on a terminal's stderr: the phase a long run is in, and how far it is."""

from __future__ import annotations

import time
from typing import TextIO

REFRESH = 0.1  # seconds between two writes of one phase's count


class ProgressLine:
    """One line, rewritten in place, shown once the run has taken ``delay`` seconds (a quick run
    does not flicker) and cleared before the results are printed."""

    def __init__(self, stream: TextIO, delay: float) -> None:
        self.stream = stream
        self.started = time.monotonic() + delay
        self.shown = False
        self.last = ("", 0.0)  # the phase last written, and when

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        # A new phase shows at once; a count, ten times a second at most.
        if now < self.started or (phase == self.last[0] and now - self.last[1] < REFRESH and done < total):
            return
        self.last = (phase, now)
        self.stream.write(f"\r\033[Kfixlint: {phase}: {done}/{total}")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False
