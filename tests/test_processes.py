"""Work beside the caller (processes.py): spawned processes whose end is watched (results in order, errors raised
in the caller, a process that dies as one the kernel kills for want of memory an error rather than a wait for
ever), and the thread of lower priority."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planlod.errors import PlanlodError
from planlod.processes import (
    RemoteTraceback,
    Terminated,
    Watched,
    at_low_priority,
    ordered_map,
    signals_deferred,
    terminated_as_error,
)

from . import dying
from .conftest import HERE


@pytest.fixture(autouse=True)
def no_process_left(no_wait_for_ever: None) -> object:
    before = set(multiprocessing.active_children())
    yield
    assert set(multiprocessing.active_children()) <= before


def test_ordered_map_gives_each_jobs_result_in_the_jobs_order() -> None:
    jobs = list(range(10))   # the first jobs take longest: they end after later ones
    assert list(ordered_map(dying.job, jobs, 3, name="test")) == [n * n for n in jobs]
    assert list(ordered_map(dying.job, [], 2, name="test")) == []
    assert list(ordered_map(dying.job, [5], 4, name="test")) == [25]


def test_an_error_a_job_raises_is_raised_at_its_place_with_the_processs_traceback() -> None:
    found = []
    with pytest.raises(PlanlodError) as raised:
        for result in ordered_map(dying.job, [5, 6, -2, 7, 8], 2, name="test"):
            found.append(result)
    assert found == [25, 36]
    assert (raised.value.message, raised.value.where, raised.value.hint) == ("refused", "job -2", "planted")
    assert isinstance(raised.value.__cause__, RemoteTraceback) and "dying.py" in str(raised.value.__cause__)


def test_a_worker_that_dies_is_an_error_naming_it_not_a_wait_for_ever() -> None:
    with pytest.raises(PlanlodError, match=r"planlod's mapping process ended without its result "
                                           r"\(killed by signal 9, SIGKILL\)") as raised:
        list(ordered_map(dying.job, [5, -1, 6, 7], 2, name="mapping"))
    assert raised.value.hint and "dmesg" in raised.value.hint


def test_a_caller_that_stops_early_ends_the_workers() -> None:
    results = ordered_map(dying.job, list(range(20)), 2, name="test")
    assert next(results) == 0
    results.close()   # the fixture checks that no process is left


def test_a_watched_process_sends_its_messages_then_its_result() -> None:
    with Watched("counting", dying.counts, 3) as counting:
        assert [counting.receive() for _ in range(4)] == [0, 1, 2, 3]


def test_a_watched_processs_error_is_raised_and_its_death_is_an_error() -> None:
    with Watched("failing", dying.job, -2) as failing, pytest.raises(PlanlodError, match="refused"):
        failing.receive()
    with Watched("store", dying.counts_then_dies, 2) as store:
        assert [store.receive(), store.receive()] == [0, 1]
        with pytest.raises(PlanlodError, match=r"store process ended without its result \(killed by signal 9"):
            store.receive()


def test_a_process_waited_for_watches_the_one_it_depends_on() -> None:
    """The N-Quads wait for the store's loads: when the store dies, waiting for the N-Quads is an error too;
    when it ended well, its result is kept for later."""
    with Watched("store", dying.killed) as store, Watched("nquads", dying.waits, 60) as nquads, \
            pytest.raises(PlanlodError, match="store process ended without its result"):
        nquads.receive(watching=(store,))
    with Watched("store", dying.counts, 1) as store, Watched("nquads", dying.waits, 1) as nquads:
        assert nquads.receive(watching=(store,)) == "waited"
        assert [store.receive(), store.receive()] == [0, 1]
    with Watched("store", dying.job, -2) as store, Watched("nquads", dying.waits, 60) as nquads, \
            pytest.raises(PlanlodError, match="refused"):
        nquads.receive(watching=(store,))


_INTERRUPTED = """
import multiprocessing, os, signal, sys, threading

from planlod.processes import Watched, ordered_map
from tests import dying

if __name__ == "__main__":
    threading.Timer(1.5, lambda: os.killpg(0, signal.SIGINT)).start()   # Ctrl-C: the whole process group
    try:
        with Watched("waiting", dying.waits, 60) as waiting:
            list(ordered_map(dying.waits, [60, 0.1], 2, name="test"))   # the second worker idle, waiting
    except KeyboardInterrupt:
        print("interrupted", len(multiprocessing.active_children()))
"""


def test_ctrl_c_stops_the_caller_and_ends_its_processes_quietly(tmp_path: Path) -> None:
    """Ctrl-C reaches every process of the group: the caller stops and ends its processes, which print
    nothing of their own (one waiting for its next job would print a KeyboardInterrupt traceback)."""
    script = tmp_path / "interrupted.py"
    script.write_text(_INTERRUPTED, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=False,
                          cwd=HERE.parent, env={**os.environ, "PYTHONPATH": str(HERE.parent)},
                          start_new_session=True)   # its own process group, which the script interrupts
    assert done.stdout.split() == ["interrupted", "0"], done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="a thread's own nice value is Linux's")
def test_the_low_priority_thread_lowers_its_priority_never_raises_it_and_passes_its_errors_on() -> None:
    """The thread (a large build's catalog's) runs at nice 10, or at the caller's own nice value when that is
    lower still (raising a priority is refused to users, which would have lost the catalog); the main thread
    keeps its own; an error in the work is raised in the caller."""
    script = ("import os, threading\n"
              "from planlod.processes import at_low_priority\n"
              "os.nice(int(os.environ['START']))\n"
              "seen = []\n"
              "at_low_priority(lambda: seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))\n"
              "print(seen[0], os.getpriority(os.PRIO_PROCESS, 0))\n")
    for start, expected in ((0, "10 0"), (15, "15 15")):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                              env={**os.environ, "START": str(start)}, check=False)
        assert done.stdout.split() == expected.split(), done.stderr

    def refused() -> None:
        raise PlanlodError("refused", hint="planted")

    with pytest.raises(PlanlodError, match="refused"):
        at_low_priority(refused)


def test_ctrl_c_and_sigterm_wait_for_the_end_of_a_deferred_step_then_act_as_before() -> None:
    """What must not be cut in two (a site's swap) ends first; then Ctrl-C raises KeyboardInterrupt, and SIGTERM
    what the build's handler raises, once each however often they came."""
    steps = []
    with pytest.raises(KeyboardInterrupt):
        with signals_deferred():
            os.kill(os.getpid(), signal.SIGINT)
            os.kill(os.getpid(), signal.SIGINT)
            steps.append("ended")
    assert steps == ["ended"]
    with terminated_as_error(), pytest.raises(Terminated):
        with signals_deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            steps.append("ended again")
    assert steps == ["ended", "ended again"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


_CALLER_KILLED = """
import multiprocessing, os, signal, sys
from planlod.processes import Watched, ordered_map
from tests import dying

if __name__ == "__main__":
    watched = Watched("sleeper", dying.waits, 60)
    mapped = ordered_map(dying.waits, [0, 60], 2, name="mapping")
    next(mapped)   # the second worker sleeps, the first waits for its next job
    print(*[p.pid for p in multiprocessing.active_children() if "resource_tracker" not in p.name], flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux's")
def test_processes_end_when_their_caller_is_killed(tmp_path: Path) -> None:
    """A caller killed with SIGKILL cannot end its processes: they are killed with it, not left to work on
    (the store's would load and compact for minutes into a folder nobody publishes)."""
    script = tmp_path / "killed.py"
    script.write_text(_CALLER_KILLED, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=False,
                          cwd=HERE.parent, env={**os.environ, "PYTHONPATH": str(HERE.parent)})
    assert done.returncode == -signal.SIGKILL, done.stderr
    pids = [int(p) for p in done.stdout.split()]
    assert len(pids) == 3, done.stdout
    deadline = time.monotonic() + 20
    while [p for p in pids if _running(p)] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [p for p in pids if _running(p)] == []


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie waits for an init that may not reap it, as in containers)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")
