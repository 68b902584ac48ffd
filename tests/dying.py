"""Work for processes.py's tests, run in spawned processes (so importable by name): some of it ends its process
as the kernel ends one it kills for want of memory."""

from __future__ import annotations

import os
import signal
import time
from typing import Any

from planlod.errors import PlanlodError
from planlod.processes import send


def killed(*args: Any) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def job(n: int) -> int:
    """n squared, later for the first jobs (so that they end out of order); n = -1 dies, n = -2 fails."""
    time.sleep(0.05 * max(0, 4 - n))
    if n == -1:
        killed()
    if n == -2:
        raise PlanlodError("refused", where="job -2", hint="planted")
    return n * n


def counts(n: int) -> int:
    for k in range(n):
        send(k)
    return n


def counts_then_dies(n: int) -> None:
    counts(n)
    killed()


def waits(seconds: float) -> str:
    time.sleep(seconds)
    return "waited"
