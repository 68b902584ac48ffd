"""Progress on an interactive terminal: a step per line, and a counted step ('mapped 12/1918 sources') as
one line redrawn in place with a bar, the share done and the time left."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import TextIO

_COUNTED = re.compile(r"^(?P<head>.*?)\s*(?P<n>\d+)/(?P<total>\d+)(?P<tail>.*)$")
WIDTH = 24


def bar_line(step: str, elapsed: float) -> str | None:
    """'mapped 30/120 sources' -> 'mapped sources [######                  ]  25% 30/120, 1m30s left';
    None for a step that is not counted."""
    found = _COUNTED.match(step)
    if not found or int(found["total"]) == 0:
        return None
    n, total = int(found["n"]), int(found["total"])
    done = min(n / total, 1.0)
    filled = round(WIDTH * done)
    left = elapsed / n * (total - n) if n else 0.0
    label = f"{found['head']}{found['tail']}".strip()
    return (f"{label} [{'#' * filled}{' ' * (WIDTH - filled)}] {100 * done:3.0f}% {n}/{total}"
            f"{', ' + _duration(left) + ' left' if n < total else ''}")


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


class TerminalProgress:
    """The progress callback of `planlod build` on a terminal."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream, self.clock = stream, clock
        self.started: dict[str, float] = {}
        self.open = False   # a bar is drawn and not ended yet

    def __call__(self, step: str) -> None:
        found = _COUNTED.match(step)
        key = f"{found['head']}{found['tail']}" if found else step
        now = self.clock()
        self.started.setdefault(key, now)
        line = bar_line(step, now - self.started[key])
        if line is None:
            self.stream.write(("\n" if self.open else "") + f"… {step}\n")
            self.open = False
        else:
            self.stream.write(f"\r… {line}\x1b[K")
            self.open = True
        self.stream.flush()
