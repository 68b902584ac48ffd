"""Which of planlod's modules run compiled: setup.py builds COMPILED with mypyc where a C compiler is found
(~25% less CPU a row in a large build's workers: docs/decisions/20261202-scale.md), and they are used only while
they are what their sources say.

The compiled modules call each other directly (one mypyc group), so they are used all together or not at all:
their Python sources are imported instead when PLANLOD_PURE is set, when any of them was not built, or when any
source of a checkout (`src/` beside `pyproject.toml`) changed after the build (an edit, a checkout: `pip install
-e .` compiles them again). Imported first by the package, before any of them.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import warnings
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

# the workers' hot path: the mapping, its N-Triples, the SHACL checks and the standards' rules (setup.py reads this)
COMPILED = (
    "planlod.conformance.cube_index", "planlod.conformance.index", "planlod.conformance.skos", "planlod.csvio",
    "planlod.graph.iris", "planlod.graph.observations", "planlod.graph.structure", "planlod.ntriples",
    "planlod.shacl", "planlod.shacl.facts", "planlod.shacl.shapes",
)
# the library holding all their code (setup.py's group "planlod"); each module's own extension only loads it
LIBRARY = "planlod__mypyc"
_ROOT = Path(__file__).parent.parent   # the folder holding the package and LIBRARY


def source_path(module: str, root: Path = _ROOT) -> Path:
    path = root.joinpath(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def _built(module: str, root: Path) -> Path | None:
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        built = source_path(module, root).with_suffix(suffix)
        if built.exists():
            return built
    return None


def why_sources(root: Path = _ROOT, modules: Sequence[str] = COMPILED) -> str | None:
    """Why the compiled modules are not used ("" when none was built), or None when they are."""
    if os.environ.get("PLANLOD_PURE"):
        return "PLANLOD_PURE is set"
    built = [_built(m, root) for m in modules]
    if not any(built):
        return ""
    # the extensions are optional: where the library failed to build, its modules' small ones may not have
    missing = [m for m, b in zip((*modules, LIBRARY), (*built, _built(LIBRARY, root)), strict=True) if b is None]
    if missing:
        return f"{', '.join(missing)} not compiled"
    if not (root.parent / "pyproject.toml").exists():
        return None   # installed from a wheel, whose files' times are those of their unpacking, in any order
    oldest = min(b.stat().st_mtime for b in built if b is not None)
    changed = [m for m in modules if source_path(m, root).stat().st_mtime > oldest]
    return f"{', '.join(changed)} changed since they were compiled" if changed else None


class _Sources(importlib.abc.MetaPathFinder):
    """The compiled modules imported from their sources (ahead of the path finder, which prefers extensions)."""

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None,
                  ) -> ModuleSpec | None:
        if fullname not in COMPILED:
            return None
        source = source_path(fullname)
        package = [str(source.parent)] if source.name == "__init__.py" else None
        return importlib.util.spec_from_file_location(fullname, source, submodule_search_locations=package)


REASON = why_sources()
COMPILED_IN_USE = REASON is None
if not COMPILED_IN_USE:
    if not any(isinstance(f, _Sources) for f in sys.meta_path):
        sys.meta_path.insert(0, _Sources())
    if REASON and REASON != "PLANLOD_PURE is set":   # an edit after the build: slower, and said so
        warnings.warn(f"planlod: {REASON}; their Python sources are used (~25% slower on large builds); "
                      "`python3 -m pip install -e .` compiles them again", RuntimeWarning, stacklevel=2)


def state() -> str:
    """What scale.py and `planlod --version` print."""
    return "compiled (mypyc)" if COMPILED_IN_USE else f"pure Python ({REASON or 'not compiled'})"


__all__ = ["COMPILED", "COMPILED_IN_USE", "LIBRARY", "REASON", "source_path", "state", "why_sources"]
