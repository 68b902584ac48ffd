"""Table rows: the header's years, and data cells aligned to columns by their meaning.

PDF extraction shifts cells: an evaluation fused into the department cell, an
extra empty cell, a duplicated '-', a department cell carrying the evaluation of
the next row. Positions are therefore not trusted; cells are recognised by what
they hold, from the right (evaluation, department) and the left (number, name,
outline, activity), and the four value cells are what lies between.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..cells import PLACEHOLDERS, find_era_year, fold, split_fused_result
from .lines import squash

LEFT_COLUMNS = ("事業番号", "事業名", "事業概要", "事業内容")

# Words that make up the 2nd and 3rd header lines (split headers). 方針性 is a typo
# of 方向性 printed in some tables.
_HEADER_TERMS = re.compile(
    r"^(工程・数値目標|評価|達成度|評価達成度|目標|実績|課題と今後の方[向針]性|担当課|備考"
    r"|(\(参考\))?(明治|大正|昭和|平成|令和|[MTSHR])(元|\d{1,2})(年度)?(実績)?(工程・数値目標)?)$"
)


class RowError(ValueError):
    """A row that cannot be aligned; the caller adds file:line."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True, slots=True)
class TableHeader:
    line: int
    width: int                      # cells in the header's first line
    fiscal_year: int                # the year of 目標 and 実績
    previous_fiscal_year: int | None  # the (参考) year
    year_label: str                 # as printed, e.g. 'R2'


def is_header_start(cells: list[str]) -> bool:
    return bool(cells) and squash(cells[0]) == "事業番号"


def parse_header_start(cells: list[str], line: int) -> TableHeader:
    """Read the first header line: left column names, the (参考) year and the report year."""
    names = [squash(c) for c in cells[: len(LEFT_COLUMNS)]]
    if tuple(names) != LEFT_COLUMNS:
        raise RowError(
            f"unexpected table header {' | '.join(c.strip() for c in cells[:4])}",
            hint=f"a table starts with the columns {', '.join(LEFT_COLUMNS)}",
        )
    previous: int | None = None
    current: tuple[int, str] | None = None
    for cell in cells[len(LEFT_COLUMNS):]:
        text = fold(cell)
        if not text:
            continue
        year = find_era_year(text)
        if "参考" in text and year is not None and previous is None:
            previous = year
        elif year is not None and current is None:
            current = (year, text.split()[0])
    if current is None:
        raise RowError(
            "the table header names no fiscal year for 目標 and 実績",
            hint="the header's first line should carry e.g. '(参考) H31実績' and 'R2'",
        )
    return TableHeader(line, len(cells), current[0], previous, current[1])


def is_header_continuation(cells: list[str]) -> bool:
    """2nd/3rd line of a split header: empty left columns, only header words elsewhere."""
    if any(c.strip() for c in cells[: len(LEFT_COLUMNS)]):
        return False
    words = [squash(c) for c in cells if c.strip()]
    return bool(words) and all(_HEADER_TERMS.match(w) for w in words) and not all(w in PLACEHOLDERS for w in words)


def is_stray_row(cells: list[str]) -> bool:
    """A row holding nothing but '-' placeholders: no activity, no evaluation."""
    words = [c.strip() for c in cells if c.strip()]
    return bool(words) and all(w in PLACEHOLDERS for w in words)


@dataclass(frozen=True, slots=True)
class AlignedRow:
    number_cell: str
    name: str
    outline: str
    activity: str
    previous_actual: str
    target: str
    actual: str
    direction: str
    result: str | None
    department: str
    carried_result: str | None   # printed in this row's department cell, belongs to the next row
    rules: tuple[str, ...]       # layout rules applied, for --explain


def align_row(cells: list[str], results: tuple[str, ...]) -> AlignedRow:
    cells = [c.strip() for c in cells]
    left = (cells + [""] * len(LEFT_COLUMNS))[: len(LEFT_COLUMNS)]
    rest = cells[len(LEFT_COLUMNS):]
    while rest and not rest[-1]:
        rest.pop()
    rules: list[str] = []
    result: str | None = None
    department = ""
    carried: str | None = None

    standalone = [i for i, c in enumerate(rest) if c in results]
    if standalone:
        at = standalone[-1]
        result, values = rest[at], rest[:at]
        after = [c for c in rest[at + 1:] if c]
        if len(after) > 1:
            raise RowError(f"{len(after)} cells after the evaluation '{result}', expected only the department")
        if after:
            fused = split_fused_result(after[0], results)
            if fused and fused[2] == "after":
                department, carried = fused[1], fused[0]
                rules.append(f"department cell carries the next row's evaluation {carried}")
            elif fused:
                raise RowError(f"two evaluations in one row: '{result}' and '{after[0]}'")
            else:
                department = after[0]
    else:
        fused = split_fused_result(rest[-1], results) if rest else None
        if fused:
            result, department, values = fused[0], fused[1], rest[:-1]
            rules.append("evaluation fused into the department cell")
            if fused[2] == "after":
                rules[-1] = "evaluation printed after the department in its cell"
        else:
            values = rest

    while values and not values[-1]:
        values.pop()
    if len(values) > 4 and values[-1] in PLACEHOLDERS and values[-2] in PLACEHOLDERS:
        values.pop()
        rules.append("duplicated '-' cell dropped")
    while len(values) > 4 and not values[0]:
        values.pop(0)
        rules.append("extra empty cell (row shifted right) dropped")
    if result is None and not department and len(values) == 6 and not values[4]:
        # An empty evaluation cell (merged with a row above), then the department.
        department, values = values[5], values[:4]
    if len(values) > 4:
        if result is None:
            raise RowError(
                f"'{values[4]}' stands where the evaluation goes but is not one of {', '.join(results)}",
                hint="an unknown evaluation word: correct it, or declare the scale in the metadata ([layout] results)",
            )
        raise RowError(f"{len(values)} value cells before the evaluation, expected 4 "
                       "((参考) actual, target, actual, direction)")
    previous_actual, target, actual, direction = values + [""] * (4 - len(values))
    return AlignedRow(left[0], left[1], left[2], left[3], previous_actual, target, actual, direction,
                      result, department, carried, tuple(rules))
