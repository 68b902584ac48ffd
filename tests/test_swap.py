"""A complete site at every instant: killed builds, crashes between renames, stale folders (issue 8, 12-13)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planlod.publish import swap

HARDEN = Path(__file__).parent / "cases" / "harden" / "records.csv"


def _build(out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "planlod", "build", "--source", str(HARDEN), "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _complete(out: Path) -> bool:
    return all((out / name).is_file() for name in ("index.html", "catalog.ttl", "void.ttl", "data.html"))


def test_killed_builds_never_leave_the_site_missing_or_litter_issue_8(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert _build(out).wait(120) == 0 and _complete(out)
    started = time.monotonic()
    assert _build(out).wait(120) == 0
    duration = time.monotonic() - started
    for step in range(8):  # kills spread over the whole build, the swap at its end included
        process = _build(out)
        time.sleep(duration * (0.15 + 0.11 * step))
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        assert _complete(out), f"no complete site after a kill at step {step}"
    assert _build(out).wait(120) == 0 and _complete(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_crash_between_the_two_renames_is_undone_by_the_next_run_issue_8(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    out, built = tmp_path / "site", tmp_path / f".site.build-{os.getpid()}-x"
    out.mkdir()
    (out / "index.html").write_text("old", encoding="utf-8")
    built.mkdir()
    (built / "index.html").write_text("new", encoding="utf-8")
    monkeypatch.setattr(swap, "_exchange", lambda a, b: False)  # a system without RENAME_EXCHANGE
    original = Path.rename
    calls = []

    def crash_on_second(self: Path, target: Path) -> Path:
        calls.append(self)
        if len(calls) == 2:
            raise KeyboardInterrupt("killed between the renames")
        return original(self, target)

    monkeypatch.setattr(Path, "rename", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        swap.swap_in(built, out)
    monkeypatch.setattr(Path, "rename", original)
    assert not out.exists()
    # The next run finds the site moved aside by a process that is gone (here: pretend it is).
    monkeypatch.setattr(swap, "_alive", lambda pid: False)
    swap.recover(out)
    assert (out / "index.html").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_folders_of_live_builds_are_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "site"
    live = tmp_path / f".site.build-{os.getppid()}-abc"
    dead = tmp_path / ".site.build-999999999-abc"
    live.mkdir()
    dead.mkdir()
    swap.recover(out)
    assert live.exists() and not dead.exists()


def test_the_exchange_is_atomic_where_the_system_has_it(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a", encoding="utf-8")
    (b / "x").write_text("b", encoding="utf-8")
    if not swap._exchange(a, b):
        pytest.skip("renameat2(RENAME_EXCHANGE) is not available here")
    assert (a / "x").read_text(encoding="utf-8") == "b" and (b / "x").read_text(encoding="utf-8") == "a"


def _sites(tmp_path: Path) -> tuple[Path, Path]:
    built, out = tmp_path / ".site.build-1-x", tmp_path / "site"
    for folder, text in ((built, "new"), (out, "old")):
        folder.mkdir()
        (folder / "index.html").write_text(text, encoding="utf-8")
    return built, out


@pytest.mark.parametrize("exchange", [True, False], ids=["exchanged", "moved aside"])
def test_ctrl_c_during_the_swap_waits_for_its_end_and_says_the_new_site_is_in_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool) -> None:
    """Ctrl-C between the two renames (where renameat2 is missing) would leave no site until the next build;
    during the exchange's removal of the old site it said "not published" of a published site. It waits for
    the swap, and the error says that the site is the new one."""
    built, out = _sites(tmp_path)
    real = swap._exchange

    def interrupted(a: Path, b: Path) -> bool:
        os.kill(os.getpid(), signal.SIGINT)   # pending while the swap goes on
        return real(a, b) if exchange else False

    monkeypatch.setattr(swap, "_exchange", interrupted)
    with pytest.raises(swap.PlanlodError) as raised:
        swap.swap_in(built, out)
    assert raised.value.message == "interrupted once the new site was in place"
    assert "the site is the new one" in (raised.value.hint or "")
    assert (out / "index.html").read_text(encoding="utf-8") == "new"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler   # Ctrl-C is as it was


def test_ctrl_c_before_the_swap_stops_it_and_leaves_the_old_site(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    built, out = _sites(tmp_path)

    def interrupted(folder: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(swap, "make_public", interrupted)
    with pytest.raises(KeyboardInterrupt):
        swap.swap_in(built, out)
    assert (out / "index.html").read_text(encoding="utf-8") == "old"
