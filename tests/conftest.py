from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent
ROOT = HERE.parent
BUNDLED = ROOT / "data" / "source" / "niigata-nishi-ward_vision-plan-3_progress_fy2020.txt"
LAYOUT_CASES = sorted(p for p in (HERE / "cases" / "layout").iterdir() if p.is_dir())


@pytest.fixture
def minimal_text() -> str:
    """A small, complete progress table (3 rows, all 達成) to break in tests."""
    return (HERE / "cases" / "layout" / "continuation-rows" / "input.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def bundled_table():  # type: ignore[no-untyped-def]
    from planlod.pipeline import read_progress_table

    return read_progress_table(BUNDLED)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data built once into a temporary site folder."""
    from planlod.pipeline import build_site

    out = tmp_path_factory.mktemp("build") / "site"
    assert build_site(None, out).published
    return out
