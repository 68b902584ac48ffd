"""Putting a finished site in place so that a complete site exists at every instant.

The new site is written in a sibling folder named after the building process, made world-readable, and
exchanged with the old one in a single atomic step (Linux renameat2 RENAME_EXCHANGE); the old tree is
then deleted from where the new one was. Where the exchange is not available, the old site is moved
aside first and restored by the next run if a crash came in between. Folders that earlier runs left
behind (killed builds) are removed once their process is gone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

from ..errors import PlanlodError
from ..processes import Terminated, signals_deferred

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _leftovers(out_dir: Path) -> list[tuple[Path, int]]:
    """Folders of earlier runs beside out_dir, with the process id that made each."""
    pattern = re.compile(rf"\.{re.escape(out_dir.name)}\.(?:build|old)-([0-9]+)-.+")
    found = []
    for path in out_dir.parent.iterdir() if out_dir.parent.is_dir() else ():
        match = pattern.fullmatch(path.name)
        if match and path.is_dir() and not path.is_symlink():
            found.append((path, int(match.group(1))))
    return sorted(found)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(out_dir: Path) -> None:
    """Put back a site a crashed run had moved aside, then remove what dead runs left behind."""
    if not out_dir.exists():
        aside = [path for path, pid in _leftovers(out_dir) if ".old-" in path.name and not _alive(pid)]
        if aside:
            newest = max(aside, key=lambda p: p.stat().st_mtime)
            newest.rename(out_dir)
    for path, pid in _leftovers(out_dir):
        if not _alive(pid):
            shutil.rmtree(path, ignore_errors=True)


def new_build_folder(out_dir: Path) -> Path:
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    recover(out_dir)
    return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.build-{os.getpid()}-", dir=out_dir.parent))


def make_public(folder: Path) -> None:
    """Published files are world-readable (0644, folders 0755), whatever mkdtemp and the umask gave."""
    folder.chmod(0o755)
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o755)
        for name in files:
            path = os.path.join(root, name)
            if not stat.S_ISLNK(os.lstat(path).st_mode):
                os.chmod(path, 0o644)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the system cannot (not Linux, old glibc, file system)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    return False


def swap_in(built: Path, out_dir: Path) -> None:
    """Replace out_dir by the finished folder `built`; a complete site stays in place throughout. Ctrl-C or
    SIGTERM during the swap waits for its end (signals_deferred); once the new site is in place, an interruption
    (while the old one is removed, or one that waited) is an error that says so, not "nothing was published"."""
    make_public(built)
    swapped = False
    old: Path | None = None
    try:
        with signals_deferred():
            old = _put_in_place(built, out_dir)
            swapped = True
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except (KeyboardInterrupt, Terminated) as stop:
        if not swapped:
            raise
        left = f"; what is left of the previous one ({old}) is removed by the next build" if old else ""
        raise PlanlodError(f"{'interrupted' if isinstance(stop, KeyboardInterrupt) else 'stopped'} once the new "
                           "site was in place", where=str(out_dir), hint=f"the site is the new one{left}") from None


def _put_in_place(built: Path, out_dir: Path) -> Path | None:
    """The new site at out_dir; where the old one now is (None: there was none)."""
    if not out_dir.exists():
        built.rename(out_dir)
        return None
    if _exchange(built, out_dir):
        return built   # `built` now holds the old site
    aside = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-{os.getpid()}-", dir=out_dir.parent))
    aside.rmdir()
    out_dir.rename(aside)
    built.rename(out_dir)  # a crash before this line is undone by recover() on the next run
    return aside
