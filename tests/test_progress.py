"""Progress on a terminal (progress.py)."""

from __future__ import annotations

import io

from planlod.progress import TerminalProgress, bar_line


def test_a_counted_step_is_a_bar_with_the_time_left() -> None:
    assert bar_line("mapped and validated 30/120 sources", 90.0) == \
        "mapped and validated sources [######                  ]  25% 30/120, 4m30s left"
    assert bar_line("mapped and validated 120/120 sources", 90.0) == \
        "mapped and validated sources [########################] 100% 120/120"
    assert bar_line("collection N-Quads", 1.0) is None


def test_the_bar_is_redrawn_in_place_and_other_steps_get_their_own_line() -> None:
    ticks = iter([0.0, 10.0, 20.0, 21.0])
    stream = io.StringIO()
    progress = TerminalProgress(stream, clock=lambda: next(ticks))
    for step in ("mapped 1/2 sources", "mapped 2/2 sources", "catalog"):
        progress(step)
    assert stream.getvalue() == ("\r… mapped sources [############            ]  50% 1/2, 0s left\x1b[K"
                                 "\r… mapped sources [########################] 100% 2/2\x1b[K"
                                 "\n… catalog\n")
