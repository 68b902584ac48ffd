"""What a query worker may do: no network at all, and a bounded amount of memory.

The network is cut by moving the worker into a new, empty network namespace (Linux; an unprivileged
user namespace makes this possible without root): only a loopback interface that is down remains, so
neither a federated SERVICE call nor anything else the engine might try can reach another host, or this
one. The memory cap is an address-space limit set after the store is loaded: an allocation past it
fails, and the engine (Rust) aborts the process, which the parent sees and reports.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import resource
import sys

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


def cut_network() -> str | None:
    """Leave every network behind; None on success, else why it could not be done."""
    if not sys.platform.startswith("linux"):
        return f"network namespaces need Linux (this is {sys.platform})"
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    flags = _CLONE_NEWNET if os.geteuid() == 0 else _CLONE_NEWUSER | _CLONE_NEWNET
    if libc.unshare(flags) != 0:
        code = ctypes.get_errno()
        return f"unshare() failed: {errno.errorcode.get(code, code)} ({os.strerror(code)})"
    return None


def address_space() -> int | None:
    """The process's current virtual size in bytes (Linux), or None where it cannot be read."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def cap_memory(extra_bytes: int) -> str | None:
    """Allow this process `extra_bytes` more address space than it has now; None on success."""
    current = address_space()
    if current is None:
        return "the process size cannot be read on this system"
    try:
        resource.setrlimit(resource.RLIMIT_AS, (current + extra_bytes, current + extra_bytes))
    except (ValueError, OSError) as err:
        return f"setrlimit failed: {err}"
    return None
