"""Declared tallies given as a CSV beside a records CSV (`<source>.declared.csv`): the figures a report
prints in its summary tables, for sources whose layout planlod does not read itself.

One row per printed figure. Columns (UTF-8, header line; see docs/records-csv.md):
  fiscal_year   the report year the figure belongs to (required)
  table         the summary table, a token: overall, by-goal, page, … (required)
  goal, policy, measure   the scope: the hierarchy node counted (empty: the whole report)
  goal_title, policy_title, measure_title   titles of the scope, where the table prints them (optional)
  level         a level of the scale, or empty for the total (合計) (…)
  count         the printed count, a whole number from 0 (required)
  complete      true when every row of the scope is in the records, false when only part was captured:
                the figure is then a bound, reported as partial (required)
  source        where the figure is printed: an http(s) URL (optional)
  assessment    optional column: the id of an [assessments.<id>] of the metadata whose value `level` is
                (empty: the evaluation scale)
  priority      optional column: true where the figure counts only the priority rows (うち重点)
"""

from __future__ import annotations

import re
from pathlib import Path

from .cells import parse_bool
from .csvio import parse_notation
from .errors import RecordError
from .metadata import Assessment
from .metadata_schema import URL
from .records import DeclaredCount, OutlineRow
from .text import CsvRows, read_text

DECLARED_COLUMNS = ("fiscal_year", "table", "goal", "policy", "measure", "goal_title", "policy_title",
                    "measure_title", "level", "count", "complete", "source")
_REQUIRED = ("fiscal_year", "table", "count", "complete")
_TABLE = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


OPTIONAL_COLUMNS = ("assessment", "priority")


def read_declared_csv(path: Path, results: tuple[str, ...], assessments: tuple[Assessment, ...] = ()
                      ) -> tuple[tuple[DeclaredCount, ...], tuple[OutlineRow, ...]]:
    reader = CsvRows(read_text(path).text, str(path), RecordError)
    missing = [c for c in DECLARED_COLUMNS if c not in reader.fieldnames]
    if missing:
        raise RecordError(f"missing column(s): {', '.join(missing)}", where=f"{path}:1",
                          hint=f"the header must name: {','.join(DECLARED_COLUMNS)}")
    unknown = [c for c in reader.fieldnames if c not in DECLARED_COLUMNS and c not in OPTIONAL_COLUMNS]
    if unknown:
        raise RecordError(f"unknown column(s): {', '.join(unknown)}", where=f"{path}:1",
                          hint=f"the columns are {','.join(DECLARED_COLUMNS)}, and optionally assessment, priority")
    by_id = {a.id: a for a in assessments}
    declared, outline = [], []
    for row in reader:
        where = f"{path}:{reader.line_num}"
        column = ""
        try:
            for column in _REQUIRED:
                if not row[column].strip():
                    raise ValueError("this column is required")
            column = "fiscal_year"
            year = int(row[column]) if row[column].isdigit() and 1868 <= int(row[column]) <= 2200 else None
            if year is None:
                raise ValueError(f"'{row[column]}' is not a Gregorian year such as 2020")
            column = "table"
            if not _TABLE.fullmatch(row[column]):
                raise ValueError(f"'{row[column]}' is not a table name (lower-case ASCII letters, digits, '-')")
            path_parts = []
            for column in ("goal", "policy", "measure"):
                path_parts.append(parse_notation(row[column], column) if row[column].strip() else "")
            if "" in path_parts and any(path_parts[path_parts.index(""):]):
                raise ValueError("a scope names its goal, then its policy, then its measure, without gaps")
            column = "assessment"
            assessment = row.get(column, "")
            if assessment and assessment not in by_id:
                raise ValueError(f"'{assessment}' is not an assessment of the metadata (expected one of "
                                 f"{', '.join(by_id) or 'none: declare [assessments.<id>]'})")
            column = "priority"
            priority = parse_bool(row.get(column, ""))
            column = "level"
            if assessment and row[column] not in by_id[assessment].values:
                raise ValueError(f"'{row[column]}' is not a value of {by_id[assessment].label} (expected one of "
                                 f"{', '.join(by_id[assessment].values)}; an assessment's figures name their value)")
            if row[column] and row[column] not in results and not assessment:
                raise ValueError(f"'{row[column]}' is not a level of this scale (expected one of "
                                 f"{', '.join(results)}, or empty for the total)")
            column = "count"
            if not row[column].isdigit():
                raise ValueError(f"'{row[column]}' is not a whole number from 0")
            column = "complete"
            complete = parse_bool(row[column])
            column = "source"
            if row[column] and URL(row[column]) is not None:
                raise ValueError(f"'{row[column][:80]}' is not an http(s) URL")
        except ValueError as err:
            raise RecordError(str(err), where=f"{where}:{column}") from None
        goal, policy, measure = path_parts
        declared.append(DeclaredCount(row["table"], goal or None, row["level"] or "合計", int(row["count"]),
                                      reader.line_num, year, policy or None, measure or None, complete,
                                      row["source"], assessment, priority))
        if goal:
            outline.append(OutlineRow(year, goal, row["goal_title"], policy, row["policy_title"], measure,
                                      row["measure_title"]))
    return tuple(declared), tuple(outline)
