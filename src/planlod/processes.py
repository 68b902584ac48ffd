"""Work beside the caller: in spawned processes whose end is watched, or in a thread of lower priority.

multiprocessing.Pool replaces a worker that dies (killed by the kernel for want of memory, or by a user) and
loses its task: whoever waits for that task's result waits for ever. Here each process has a pipe of its own,
read until its result; a pipe that ends without one is a process that died, and the caller gets a PlanlodError
naming it and how it ended (a build then stops and leaves the previous site, as on any error). An error raised
in a process is raised again in the caller, with the process's traceback as its cause. `at_low_priority` runs
work in a thread that takes what the build's processes leave of the cores.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, cast

from .errors import PlanlodError

_SPAWN = multiprocessing.get_context("spawn")
_to_caller: Connection | None = None   # in a process started by Watched: its pipe
_PR_SET_PDEATHSIG = 1   # linux/prctl.h


class RemoteTraceback(Exception):
    """Where an error was raised in another process: the cause of the error raised again in the caller."""


def send(message: object) -> None:
    """A message to the caller of the Watched process this runs in, before its result; outside one, nothing."""
    if _to_caller is not None:
        _to_caller.send(("message", message))


def _error(err: BaseException) -> tuple[str, object]:
    text = "".join(traceback.format_exception(err))
    try:   # an error that cannot travel (one holding a lock, or unpickled otherwise) travels as its text
        pickle.loads(pickle.dumps(err))
    except Exception:
        err = RuntimeError(f"{type(err).__name__}: {err}")
    return ("error", (err, text))


def _reply(connection: Connection, reply: tuple[str, object]) -> None:
    try:
        try:
            connection.send(reply)
        except (pickle.PicklingError, TypeError, AttributeError) as err:   # a result that cannot travel
            connection.send(_error(err))
    except OSError:   # the caller is gone (it stopped): nobody to tell
        pass


def _as_child() -> None:
    # Ctrl-C reaches the whole process group: the caller, which ends its processes; each of them would print
    # a KeyboardInterrupt traceback of its own where it was caught outside its work (waiting for its next job).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with_caller()


def _end_with_caller() -> None:
    """On Linux, killed (SIGKILL) when the process that started this one dies: a caller killed with SIGKILL
    cannot end its processes, and the store's would go on loading and compacting for minutes into a build
    folder nobody will publish (the next build removes it). The kernel sends the signal when the caller's
    *thread* that started this process ends: the processes here are started and waited for by one thread."""
    if sys.platform != "linux":
        return
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    if prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return
    caller = multiprocessing.parent_process()
    if caller is not None and os.getppid() != caller.pid:   # it died before the request was made
        os.kill(os.getpid(), signal.SIGKILL)


def _call(connection: Connection, target: Callable[..., Any], *args: Any) -> None:
    try:
        reply: tuple[str, object] = ("result", target(*args))
    except BaseException as err:   # SystemExit too: the caller decides
        reply = _error(err)
    _reply(connection, reply)


def _run(connection: Connection, target: Callable[..., Any], args: tuple[Any, ...]) -> None:
    global _to_caller
    _to_caller = connection
    _as_child()
    _call(connection, target, *args)


def _serve(connection: Connection, function: Callable[[Any], Any], initializer: Callable[[], None] | None) -> None:
    _as_child()
    if initializer is not None:
        initializer()
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        _call(connection, function, job)


def _raise(value: object) -> None:
    assert isinstance(value, tuple)
    err, text = value
    raise err from RemoteTraceback(text)


def _died(name: str, process: BaseProcess) -> PlanlodError:
    process.join(10)   # its exit code (the pipe ends a moment before the process does)
    code = process.exitcode
    if code is not None and code < 0:
        how = f"killed by signal {-code}"
        try:
            how += f", {signal.Signals(-code).name}"
        except ValueError:
            pass
    else:
        how = f"exit code {code}"
    return PlanlodError(f"planlod's {name} process ended without its result ({how})",
                        hint="a process the kernel killed for want of memory is in its log (dmesg); "
                             "nothing of this build was published")


class Watched:
    """`target(*args)` in a spawned process of its own: what it `send`s, then its result, read from its pipe."""

    def __init__(self, name: str, target: Callable[..., Any], *args: Any) -> None:
        self.name = name
        self._pipe, theirs = _SPAWN.Pipe(duplex=False)
        self._process = _SPAWN.Process(target=_run, args=(theirs, target, args), name=f"planlod {name}", daemon=True)
        self._process.start()
        theirs.close()   # so that the pipe ends when the process does
        self._received: deque[tuple[str, object]] = deque()
        self._finished = False   # its result (or error) read
        self._ended = False      # its pipe read to the end

    def receive(self, *, watching: Sequence[Watched] = ()) -> Any:
        """The next message, or the result. An error raised in the process is raised here; a process that
        ended without its result is a PlanlodError. The processes `watching` names are watched meanwhile (one
        this one waits for): their death, or an error they raised, is raised here too."""
        others = [w for w in watching if w is not self]
        while not self._received:
            if self._ended:
                raise _died(self.name, self._process)
            ready = wait([self._pipe, *(w._process.sentinel for w in others if not w._ended)])
            if self._pipe in ready:
                self._read()
            for other in others:
                if not other._ended and other._process.sentinel in ready:
                    other._check_ended()
        kind, value = self._received.popleft()
        if kind == "error":
            _raise(value)
        return value

    def _read(self) -> None:
        try:
            item = self._pipe.recv()
        except (EOFError, OSError):
            self._ended = True
            return
        self._received.append(item)
        self._finished = self._finished or item[0] != "message"

    def _check_ended(self) -> None:
        """The process has ended: what it sent is still in its pipe; it must hold its result."""
        while not self._ended:
            self._read()
        if not self._finished:
            raise _died(self.name, self._process)
        for kind, value in self._received:
            if kind == "error":
                _raise(value)

    def stop(self) -> None:
        """Ended: waited for once its result is read, at once if not (the caller stopped)."""
        if self._finished:
            self._process.join(10)
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._pipe.close()

    def __enter__(self) -> Watched:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def ordered_map(function: Callable[[Any], Any], jobs: Iterable[Any], workers: int, *, name: str,
                initializer: Callable[[], None] | None = None) -> Iterator[Any]:
    """`function(job)` for each job in `workers` spawned processes, yielded in the jobs' order (Pool.imap's
    contract). An error a job raised is raised at its place; a worker that died is a PlanlodError. Each worker
    holds two jobs (the next one waits in its pipe: no pause between jobs); on leaving, early or not, every
    worker is ended."""
    todo = list(jobs)
    started: list[tuple[BaseProcess, Connection]] = []
    ended = False
    try:
        for n in range(min(workers, len(todo))):
            mine, theirs = _SPAWN.Pipe()
            process = _SPAWN.Process(target=_serve, args=(theirs, function, initializer), daemon=True,
                                     name=f"planlod {name} {n + 1}")
            process.start()
            theirs.close()
            started.append((process, mine))
        given: dict[Connection, deque[int]] = {connection: deque() for _, connection in started}
        of = {connection: process for process, connection in started}
        following = 0

        def give(connection: Connection) -> None:
            nonlocal following
            if following < len(todo):
                try:
                    connection.send(todo[following])
                except OSError:   # it died between two jobs
                    raise _died(name, of[connection]) from None
                given[connection].append(following)
                following += 1

        for _ in range(2):
            for connection in given:
                give(connection)
        done: dict[int, tuple[str, object]] = {}
        for wanted in range(len(todo)):
            while wanted not in done:
                for found in wait([c for c, queue in given.items() if queue]):
                    ready = cast(Connection, found)   # wait gives back what it was given
                    try:
                        done[given[ready].popleft()] = ready.recv()
                    except (EOFError, OSError):   # reset, when it died with a job unread
                        raise _died(name, of[ready]) from None
                    give(ready)
            kind, value = done.pop(wanted)
            if kind == "error":
                _raise(value)
            yield value
        for _, idle in started:
            try:
                idle.send(None)   # the worker returns
            except OSError:   # it ended after its last result: all is received
                pass
        ended = True
    finally:
        for worker, connection in started:
            if ended:
                worker.join(10)
            if worker.is_alive():   # left early (an error, Ctrl-C, the caller stopped): not waited for
                worker.terminate()
            worker.join()
            connection.close()


class Terminated(PlanlodError):
    """SIGTERM arrived (`kill`, `timeout`, a service manager stopping the build)."""


@contextmanager
def terminated_as_error() -> Iterator[None]:
    """Within, SIGTERM raises Terminated in the main thread, as Ctrl-C raises KeyboardInterrupt: what is being
    built is removed and the processes started for it are ended (left to run on, the store's and the N-Quads'
    would go on for minutes at 1,000,000 evaluations). Outside the main thread, nothing is changed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise Terminated("stopped by SIGTERM", hint="nothing of this build was published; the previous site is "
                                                     "unchanged")

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Within, Ctrl-C (SIGINT) and SIGTERM wait: a step that must not be cut in two (a site's swap) ends first,
    then the signal is acted on as it would have been at once (KeyboardInterrupt, Terminated, the default).
    Outside the main thread, where Python neither sets handlers nor raises these signals, nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[int] = []

    def note(signum: int, frame: object) -> None:
        arrived.append(signum)

    previous = {s: signal.signal(s, note) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        for came in dict.fromkeys(arrived):
            handler = previous[signal.Signals(came)]
            if callable(handler):
                handler(came, None)
            elif handler in (signal.SIG_DFL, None):
                signal.raise_signal(came)


def at_low_priority(work: Callable[[], None]) -> None:
    """`work` in a thread of lower priority (nice 10, which on Linux a thread sets for itself and cannot undo,
    hence a thread of its own; elsewhere at the process's priority), waited for; its error raised here.
    Not SCHED_IDLE, which measured the same here: beside other work that keeps a core busy it would get
    ~0.3% of it by the kernel's weights, nice 10 ~10%. A daemon: when the wait is interrupted (Ctrl-C) the
    build stops at once, not when `work` ends; `work` then fails at its next write into the removed build
    folder, or ends with the process."""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            if sys.platform == "linux":   # elsewhere a thread's id is not a process id for setpriority
                me = threading.get_native_id()
                # never raised (a build started at nice 15 stays there: raising it is refused)
                os.setpriority(os.PRIO_PROCESS, me, max(10, os.getpriority(os.PRIO_PROCESS, me)))
            work()
        except BaseException as err:   # raised in the waiting thread
            failed.append(err)

    thread = threading.Thread(target=run, name="planlod-low-priority", daemon=True)
    thread.start()
    thread.join()
    if failed:
        raise failed[0]


__all__ = ["RemoteTraceback", "Terminated", "Watched", "at_low_priority", "ordered_map", "send",
           "signals_deferred", "terminated_as_error"]
