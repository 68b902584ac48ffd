"""planlod.native: the modules setup.py compiles with mypyc, used all together and only while they are what
their sources say, and giving the same bytes as their sources."""

from __future__ import annotations

import importlib.machinery
import os
import pickle
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from planlod import native
from planlod.bundled import BUNDLED_CATALOG

from .conftest import HERE

sys.path.insert(0, str(HERE.parent / "benchmarks"))
from synthetic import write_collection  # noqa: E402

MODULES = ("pkg.first", "pkg.sub", "pkg.sub.second")
SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]


def _tree(root: Path, built: tuple[str, ...] = MODULES, checkout: bool = True) -> None:
    """Sources written, then the modules of `built` as extensions a second later (as a build makes them); in a
    checkout, `root` (src/) sits beside a pyproject.toml."""
    root.mkdir()
    if checkout:
        (root.parent / "pyproject.toml").write_text("", encoding="utf-8")
    for path in (root / "pkg" / "first.py", root / "pkg" / "sub" / "__init__.py", root / "pkg" / "sub" / "second.py"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")
        os.utime(path, (1_000, 1_000))
    for extension in [native.source_path(m, root).with_suffix(SUFFIX) for m in built] + \
            ([root / (native.LIBRARY + SUFFIX)] if built else []):
        extension.write_bytes(b"")
        os.utime(extension, (1_001, 1_001))


def test_nothing_built_the_sources_are_used_without_a_word(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANLOD_PURE", raising=False)
    _tree(tmp_path / "src", built=())
    assert native.why_sources(tmp_path / "src", MODULES) == ""


def test_all_built_after_their_sources_the_compiled_ones_are_used(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANLOD_PURE", raising=False)
    _tree(tmp_path / "src")
    assert native.why_sources(tmp_path / "src", MODULES) is None
    monkeypatch.setenv("PLANLOD_PURE", "1")
    assert native.why_sources(tmp_path / "src", MODULES) == "PLANLOD_PURE is set"


def test_a_source_changed_after_the_build_means_all_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The compiled modules call each other directly: one stale module would run inside the fresh ones."""
    monkeypatch.delenv("PLANLOD_PURE", raising=False)
    _tree(tmp_path / "src")
    os.utime(tmp_path / "src" / "pkg" / "sub" / "__init__.py", (1_002, 1_002))   # an edit, a checkout
    assert native.why_sources(tmp_path / "src", MODULES) == "pkg.sub changed since they were compiled"


def test_an_installed_wheel_is_trusted_whatever_its_files_times(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """pip unpacks a wheel's files in any order, each with the time it was written: no pyproject.toml beside the
    package's folder, no edit to look for."""
    monkeypatch.delenv("PLANLOD_PURE", raising=False)
    _tree(tmp_path / "src", checkout=False)
    os.utime(tmp_path / "src" / "pkg" / "first.py", (1_002, 1_002))
    assert native.why_sources(tmp_path / "src", MODULES) is None


def test_one_module_not_built_means_all_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANLOD_PURE", raising=False)
    _tree(tmp_path / "src", built=("pkg.first", "pkg.sub"))
    assert native.why_sources(tmp_path / "src", MODULES) == "pkg.sub.second not compiled"


def test_the_modules_without_their_library_mean_all_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each module's extension only loads the library that holds their code, which may have failed to build."""
    monkeypatch.delenv("PLANLOD_PURE", raising=False)
    _tree(tmp_path / "src")
    (tmp_path / "src" / (native.LIBRARY + SUFFIX)).unlink()
    assert native.why_sources(tmp_path / "src", MODULES) == f"{native.LIBRARY} not compiled"


def test_what_a_worker_sends_survives_pickling() -> None:
    """A frozen dataclass compiled by mypyc is not restored field by field: these give their fields to pickle."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import SH

    from planlod.graph.iris import ActivityKey, IriScheme
    from planlod.shacl import Result

    for sent in (IriScheme("https://example.org/", "151068", "151009", "vision-3", 2020),
                 ActivityKey("III", "1", "2", "n-0123456789", 3),
                 Result(URIRef("urn:x"), None, Literal(1), URIRef("urn:shape"), SH.MinCountConstraintComponent,
                        SH.Violation, (Literal("m", lang="en"),))):
        assert pickle.loads(pickle.dumps(sent)) == sent


def _env(pure: bool) -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PLANLOD_PURE"} | ({"PLANLOD_PURE": "1"} if pure else {})


def _run(code: str, pure: bool) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(pure), timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_planlod_pure_imports_every_compiled_module_from_its_source() -> None:
    code = ("import importlib, planlod.native as n\n"
            "print(n.state())\n"
            "for m in n.COMPILED: print(importlib.import_module(m).__file__)\n")
    state, *files = _run(code, pure=True).splitlines()
    assert state == "pure Python (PLANLOD_PURE is set)"
    assert [Path(f).name for f in files] == [native.source_path(m).name for m in native.COMPILED]
    if native.COMPILED_IN_USE:
        state, *files = _run(code, pure=False).splitlines()
        assert state == "compiled (mypyc)"
        assert all(f.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)) for f in files), files


def test_an_installed_checkout_runs_the_compiled_modules() -> None:
    """`pip install -e .` compiles them where there is a C compiler (CI): else the tests would check, and the
    benchmark time, other code than a user's build runs. A source edited since is a reason to install again."""
    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    if os.environ.get("PLANLOD_PURE") or shutil.which("cc") is None or not headers.exists():
        pytest.skip("pure Python asked for, or no C compiler or Python headers: setup.py builds no extension")
    assert native.COMPILED_IN_USE, f"the compiled modules are not used: {native.REASON or 'not compiled'}"


def _build(args: list[str], out: Path, pure: bool) -> dict[str, bytes]:
    done = subprocess.run([sys.executable, "-m", "planlod", "build", *args, "--out", str(out)],
                          capture_output=True, text=True, env=_env(pure), timeout=600)
    assert done.returncode == 0, done.stderr
    # the on-disk store's files are RocksDB's own (their names and bytes vary from build to build)
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".store" not in p.relative_to(out).parts}


@pytest.mark.skipif(not native.COMPILED_IN_USE, reason="the compiled modules are not in use here")
@pytest.mark.parametrize("path", ["bundled", "large"])
def test_the_compiled_modules_give_their_sources_bytes(path: str, tmp_path: Path) -> None:
    """Every file of a site built with the compiled modules is the file their Python sources write: the bundled
    reports (the real Nishi text and Kawasaki's records) and a synthetic collection on the large path."""
    if path == "bundled":
        args = []
    else:
        write_collection(tmp_path / "sources", 900, seed=41, editions=2)
        args = ["--source-dir", str(tmp_path / "sources"), "--catalog", str(BUNDLED_CATALOG), "--large"]
    compiled = _build(args, tmp_path / "compiled", pure=False)
    pure = _build(args, tmp_path / "pure", pure=True)
    assert len(compiled) > 20
    assert sorted(compiled) == sorted(pure)
    differ = [name for name in compiled if compiled[name] != pure[name]]
    assert not differ, differ
