"""The stopwatch of ``check --timings``: nested pieces are counted apart, and the pieces add up."""

from __future__ import annotations

import time

from fixlint.stopwatch import Stopwatch


def test_a_piece_is_counted_without_the_pieces_inside_it() -> None:
    stopwatch = Stopwatch()
    started = time.perf_counter()
    with stopwatch.timing("rule"):
        time.sleep(0.02)
        with stopwatch.timing("shared"):
            time.sleep(0.2)
        time.sleep(0.02)
        with stopwatch.timing("shared"):  # a second time: added to the first
            time.sleep(0.05)
    whole = time.perf_counter() - started
    assert list(stopwatch.seconds) == ["rule", "shared"]
    assert stopwatch.seconds["shared"] >= 0.25
    assert 0.04 <= stopwatch.seconds["rule"] < 0.25
    assert abs(sum(stopwatch.seconds.values()) - whole) < 0.005


def test_a_piece_that_raises_is_counted_and_the_one_around_it_goes_on() -> None:
    stopwatch = Stopwatch()
    with stopwatch.timing("outer"):
        try:
            with stopwatch.timing("inner"):
                time.sleep(0.01)
                raise ValueError
        except ValueError:
            pass
        time.sleep(0.01)
    assert stopwatch.seconds["inner"] >= 0.01 and stopwatch.seconds["outer"] >= 0.01
