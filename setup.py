"""Builds planlod with the modules a large build spends its CPU in compiled by mypyc (pyproject.toml holds
everything else). Without a C compiler, or with PLANLOD_PURE=1, those modules stay pure Python: the same
results, ~30% more CPU a row in a large build's workers (docs/decisions/20261202-scale.md)."""

import ast
import os
from pathlib import Path

from setuptools import setup


def compiled_paths() -> list[str]:
    """planlod.native.COMPILED (read, not imported: the package needs its dependencies) as source paths."""
    native = Path(__file__).parent / "src" / "planlod" / "native.py"
    for node in ast.parse(native.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "COMPILED":
            modules = ast.literal_eval(node.value)
            break
    paths = [Path("src", *m.split(".")) for m in modules]
    return [str(p / "__init__.py" if p.is_dir() else p.with_suffix(".py")) for p in paths]


def extensions() -> list:
    if os.environ.get("PLANLOD_PURE"):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        return []
    # rdflib's and pyoxigraph's classes are Python objects to the compiled code (no site-packages): so a term,
    # a str subclass, is never handled by str's own operations, whatever is installed where it is built
    found = mypycify(["--config-file=", "--no-site-packages", "--ignore-missing-imports", "--follow-imports=silent",
                      *compiled_paths()], group_name="planlod", opt_level="3")   # native.LIBRARY
    for extension in found:
        extension.optional = True   # no C compiler: the pure Python modules, as without mypyc
    return found


setup(ext_modules=extensions())
