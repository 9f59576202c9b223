"""Where a run's time goes: seconds per named piece of work, each piece counted without the pieces
timed inside it, so that the pieces add up to the whole (``check --timings``)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


class Stopwatch:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}  # by piece, in the order first timed
        self._running: list[list] = []  # [name, started], innermost last

    @contextmanager
    def timing(self, name: str) -> Iterator[None]:
        """Time the block as ``name``; the piece around it stops meanwhile. Work a rule leaves to
        the shared model (built by the first rule that asks) is so counted once, as the model's."""
        now = time.perf_counter()
        self._stop(now)
        self._running.append([name, now])
        try:
            yield
        finally:
            now = time.perf_counter()
            self._stop(now)
            self._running.pop()
            if self._running:
                self._running[-1][1] = now

    def _stop(self, now: float) -> None:
        if self._running:
            name, started = self._running[-1]
            self.seconds[name] = self.seconds.get(name, 0.0) + now - started
