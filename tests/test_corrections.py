from __future__ import annotations

from pathlib import Path

import pytest

from planlod.corrections import apply_corrections, read_corrections
from planlod.errors import CorrectionError

from .conftest import BUNDLED

HEADER = "line,cell,original,corrected,reason\n"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "c.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_a_correction_replaces_text_in_its_cell(tmp_path: Path) -> None:
    fixes = read_corrections(write(tmp_path, "2,2,конкурール,コンクール,OCR garbage\n"))
    assert apply_corrections(["a", "1\tポスターконкурール\tx"], fixes, "s.txt") == ["a", "1\tポスターコンクール\tx"]


def test_a_whole_line_correction(tmp_path: Path) -> None:
    fixes = read_corrections(write(tmp_path, "1,,ワיזユース,ワイズユース,OCR\n"))
    assert apply_corrections(["- ワיזユース(賢明な利用)"], fixes, "s.txt") == ["- ワイズユース(賢明な利用)"]


@pytest.mark.parametrize(("body", "message"), [
    ("9,,a,b,why\n", "past the end"),
    ("1,,zzz,b,why\n", "not found exactly once"),
    ("1,5,a,b,why\n", "has only 2 cells"),
    ("x,,a,b,why\n", "whole numbers"),
    ("1,,a,b,\n", "needs the original text and a reason"),
])
def test_stale_or_bad_corrections_are_refused(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(CorrectionError, match=message) as err:
        apply_corrections(["a\tb", "c"], read_corrections(write(tmp_path, body)), "s.txt")
    assert str(tmp_path / "c.csv") in str(err.value)


def test_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("line,original\n1,a\n", encoding="utf-8")
    with pytest.raises(CorrectionError, match="missing column"):
        read_corrections(path)


def test_bundled_corrections_all_apply_and_give_reasons() -> None:
    fixes = read_corrections(BUNDLED.with_name(BUNDLED.stem + ".corrections.csv"))
    assert len(fixes) == 5 and all(len(f.reason) > 20 for f in fixes)
    lines = BUNDLED.read_text(encoding="utf-8").split("\n")
    fixed = apply_corrections(lines, fixes, "s")
    assert sum(a != b for a, b in zip(lines, fixed, strict=True)) == 4
    assert BUNDLED.read_text(encoding="utf-8").split("\n") == lines  # the source itself is never edited
