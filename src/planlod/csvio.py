"""The records CSV: one row per evaluation row, the public input/output template."""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .cells import fold, parse_bool, parse_roman, positive_number
from .errors import RecordError
from .metadata import Assessment
from .metadata_schema import URL
from .records import ASSESSMENT_PREFIX, CSV_COLUMNS, Activity, Goal, Measure, OutlineRow, Policy, ProgressTable
from .text import CsvRows, read_text

_TOKEN_COLUMNS = ("policy", "measure", "project_number")
TEXT_COLUMNS = ("source", "note")   # optional columns of plain text, written when a row gives them
REQUIRED_COLUMNS = ("goal", "policy", "measure", "project_name", "fiscal_year", "result")   # never empty
# A notation is a free token that also stands in IRIs: ASCII letters, digits, '.', '_' and '-'.
_TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62})")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_csv_row(out: io.StringIO, row: list[str]) -> None:
    # csv quotes a cell only for the characters of its own line terminator: a lone "\r" in a cell
    # would be written bare with "\n" and read back as a line break. Such rows are quoted as for "\r\n".
    if any("\r" in cell for cell in row):
        line = io.StringIO()
        csv.writer(line, lineterminator="\r\n").writerow(row)
        out.write(line.getvalue()[:-2] + "\n")
    else:
        csv.writer(out, lineterminator="\n").writerow(row)


def optional_columns(activities: Iterable[Activity]) -> tuple[str, ...]:
    """The optional columns the rows use: `priority`, then `assessment.<id>` in the order first given."""
    rows = list(activities)
    columns = ["priority"] if any(a.priority is not None for a in rows) else []
    for a in rows:
        columns.extend(ASSESSMENT_PREFIX + i for i, _ in a.assessments if ASSESSMENT_PREFIX + i not in columns)
    columns += [name for name in TEXT_COLUMNS if any(getattr(a, name) for a in rows)]
    return tuple(columns)


def _optional_cells(a: Activity, columns: tuple[str, ...]) -> list[str]:
    given = dict(a.assessments)
    return [_cell(a.priority) if c == "priority" else getattr(a, c) if c in TEXT_COLUMNS
            else given.get(c.removeprefix(ASSESSMENT_PREFIX), "") for c in columns]


def records_to_csv(activities: Iterable[Activity]) -> str:
    rows = list(activities)
    extra = optional_columns(rows)
    out = io.StringIO()
    write_csv_row(out, [*CSV_COLUMNS, *extra])
    for a in rows:
        write_csv_row(out, [*(_cell(getattr(a, name)) for name in CSV_COLUMNS), *_optional_cells(a, extra)])
    return out.getvalue()


# Headers of the spreadsheet CSV, in Japanese and distinct (the template's ja labels repeat 目標).
SPREADSHEET_HEADERS = {
    "goal": "目標番号", "goal_title": "目標名", "policy": "施策番号", "policy_title": "施策名",
    "measure": "取組番号", "measure_title": "取組名", "project_number": "事業番号", "project_name": "事業名",
    "project_outline": "事業概要", "activity": "事業内容", "fiscal_year": "年度", "target": "目標値",
    "actual": "実績", "previous_fiscal_year": "参考年度", "previous_actual": "(参考)実績", "result": "評価",
    "direction": "課題と今後の方向性", "covid": "※新型コロナの影響", "department": "担当課",
    "source_line": "出典の行",
}
# A spreadsheet reads a cell starting with one of these as a formula (OWASP: CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(text: str) -> str:
    """The cell made inert for spreadsheets: a leading apostrophe before a formula character (OWASP)."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def records_to_spreadsheet_csv(activities: Iterable[Activity], assessments: tuple[Assessment, ...] = ()) -> str:
    """The records for people with a spreadsheet: Japanese headers, UTF-8 with BOM (Excel on Japanese
    Windows reads a BOM-less file as Shift_JIS), CRLF, ※ for true, formula characters neutralised.
    Not an input: `planlod extract` reads the template CSV, which keeps every value as printed."""
    rows = list(activities)
    extra = optional_columns(rows)
    labels = {ASSESSMENT_PREFIX + a.id: a.label for a in assessments}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    labels.update({"priority": "重点", "source": "出典", "note": "読み取りの注記"})
    writer.writerow([*(SPREADSHEET_HEADERS[name] for name in CSV_COLUMNS), *(labels.get(c, c) for c in extra)])
    for a in rows:
        values = [getattr(a, name) for name in CSV_COLUMNS]
        cells = ["※" if v is True else "" if v is False else _cell(v) for v in values]
        cells += [{"true": "重点", "false": ""}.get(v, v) if c == "priority" else v
                  for c, v in zip(extra, _optional_cells(a, extra), strict=True)]
        writer.writerow([spreadsheet_cell(c) for c in cells])
    return "\ufeff" + out.getvalue()


def _year(text: str) -> int:
    if not text.strip().isdigit() or not 1868 <= int(text) <= 2200:
        raise ValueError(f"'{text}' is not a Gregorian year such as 2020")
    return int(text)


_NUMBER_NAMES = {"policy": "policy", "measure": "measure", "project_number": "project", "source_line": "line"}


def _positive(text: str, column: str) -> int:
    return positive_number(text, _NUMBER_NAMES[column])


@lru_cache(maxsize=1 << 12)   # a report repeats its few notations on every row (an error is not cached)
def parse_notation(text: str, column: str) -> str:
    """A hierarchy notation as a free token ('I', '1', '1-2', '11301000'). Roman numerals are written in
    ASCII ('Ⅳ' -> 'IV'); a token of digits only is a whole number from 1, like the numbers of a table."""
    folded = fold(text).strip()
    if column == "goal":
        with contextlib.suppress(ValueError):
            return parse_roman(folded)
    if folded.isascii() and folded.isdigit():
        return str(_positive(folded, column)) if column in _NUMBER_NAMES else str(positive_number(folded, column))
    if not _TOKEN.fullmatch(folded):
        raise ValueError(f"'{text}' is not a notation: use ASCII letters, digits, '.', '_' or '-' (e.g. I, 1, "
                         "1-2, 11301000), at most 63 characters")
    return folded


def _parse_optional(row: dict[str, str], assessments: tuple[Assessment, ...], where: str) -> dict[str, object]:
    values: dict[str, object] = {}
    if row.get("priority", "").strip():
        try:
            values["priority"] = parse_bool(row["priority"])
        except ValueError as err:
            raise RecordError(str(err), where=f"{where}:priority", hint="true (重点), false, or empty") from None
    given = []
    for assessment in assessments:
        column = ASSESSMENT_PREFIX + assessment.id
        value = row.get(column, "").strip()
        if value and value not in assessment.values:
            raise RecordError(f"'{value}' is not a value of {assessment.label}", where=f"{where}:{column}",
                              hint=f"expected one of {', '.join(assessment.values)}, or empty")
        if value:
            given.append((assessment.id, value))
    values["assessments"] = tuple(given)
    source = row.get("source", "").strip()
    if source and URL(source) is not None:
        raise RecordError(f"'{source[:80]}' is not an http(s) URL", where=f"{where}:source",
                          hint="the page the row is printed on, e.g. https://www.city.example.jp/…/page.html")
    values["source"], values["note"] = source, row.get("note", "").strip()
    return values


def _parse_row(row: dict[str, str], results: tuple[str, ...], where: str,
               assessments: tuple[Assessment, ...] = ()) -> Activity:
    values: dict[str, object] = {name: row[name] for name in CSV_COLUMNS}
    values.update(_parse_optional(row, assessments, where))
    for name in REQUIRED_COLUMNS:
        if not row[name].strip():
            raise RecordError(f"'{name}' is empty", where=f"{where}:{name}", hint="this column is required")
    column = ""
    try:
        for column in ("goal", *_TOKEN_COLUMNS):
            values[column] = parse_notation(row[column], column) if row[column].strip() else ""
        column = "fiscal_year"
        values["fiscal_year"] = _year(row["fiscal_year"])
        column = "previous_fiscal_year"
        values["previous_fiscal_year"] = _year(row[column]) if row[column].strip() else None
        column = "covid"
        values["covid"] = parse_bool(row["covid"])
        column = "source_line"
        values["source_line"] = _positive(row[column], column) if row[column].strip() else None
    except ValueError as err:
        raise RecordError(str(err), where=f"{where}:{column}") from None
    if row["result"] not in results:
        raise RecordError(f"'{row['result']}' is not an evaluation of this scale", where=f"{where}:result",
                          hint=f"expected one of {', '.join(results)} (or declare the scale in the metadata)")
    return Activity(**values)  # type: ignore[arg-type]


def read_records_csv(path: Path, *, results: tuple[str, ...] = ("達成", "未達成"), title: str = "",
                     assessments: tuple[Assessment, ...] = ()) -> ProgressTable:
    decoded = read_text(path)
    reader = CsvRows(decoded.text, str(path), RecordError)
    fieldnames = reader.fieldnames
    missing = [c for c in CSV_COLUMNS if c not in fieldnames]
    if missing:
        raise RecordError(f"missing column(s): {', '.join(missing)}", where=f"{path}:1",
                          hint=f"the header must name: {','.join(CSV_COLUMNS)}")
    declared = [ASSESSMENT_PREFIX + a.id for a in assessments]
    known = {*CSV_COLUMNS, "priority", *TEXT_COLUMNS, *declared}   # a set: mypyc cannot compile `in (*a, *b)`
    unknown = [c for c in fieldnames if c not in known]
    if unknown:
        raise RecordError(f"unknown column(s): {', '.join(unknown)}", where=f"{path}:1",
                          hint=f"optional columns: {', '.join(('priority', *TEXT_COLUMNS, *declared))}; an "
                               "assessment column `assessment.<id>` needs [assessments.<id>] in the metadata "
                               "(docs/records-csv.md)")
    activities: list[Activity] = []
    titles: dict[tuple[object, ...], tuple[str, str]] = {}
    for row in reader:
        where = f"{path}:{reader.line_num}"
        if None in row or any(v is None for v in row.values()):
            raise RecordError("this row has a different number of cells than the header", where=where)
        activity = _parse_row(row, results, where, assessments)
        for key, name, value in _title_keys(activity):
            seen = titles.setdefault(key, (value, where))
            if not seen[0] and value:
                titles[key] = (value, where)
            elif seen[0] != value and value:
                raise RecordError(f"{name} '{value}' differs from '{seen[0]}' given at {seen[1]}",
                                  where=f"{where}:{name}", hint="rows of one goal/policy/measure/project share it")
        activities.append(activity)
    if not activities:
        raise RecordError("the CSV has a header but no rows", where=f"{path}:1")
    years = {a.fiscal_year for a in activities}
    return ProgressTable(
        source_name=str(path), title=title or path.stem, fiscal_year=years.pop() if len(years) == 1 else None,
        activities=tuple(activities), goals=goals_from_activities(activities), results=results,
        encoding=decoded.encoding)


def _title_keys(a: Activity) -> list[tuple[tuple[object, ...], str, str]]:
    return [
        (("goal", a.goal), "goal_title", a.goal_title),
        (("policy", a.goal, a.policy), "policy_title", a.policy_title),
        (("measure", a.goal, a.policy, a.measure), "measure_title", a.measure_title),
        (("project", a.goal, a.policy, a.measure, a.project_number or a.project_name), "project_name",
         a.project_name),
    ]


def goals_from_activities(activities: Iterable[Activity | OutlineRow]) -> tuple[Goal, ...]:
    """The goal > policy > measure outline implied by the rows (titles only: the first one printed)."""
    tree: dict[str, dict[str, dict[str, str]]] = {}
    titles: dict[tuple[str, ...], str] = {}
    for a in activities:
        policies = tree.setdefault(a.goal, {})
        if a.policy:
            measures = policies.setdefault(a.policy, {})
            if a.measure:
                measures.setdefault(a.measure, "")
        for key, title in (((a.goal,), a.goal_title), ((a.goal, a.policy), a.policy_title),
                           ((a.goal, a.policy, a.measure), a.measure_title)):
            if title and not titles.get(key):
                titles[key] = title
    return tuple(
        Goal(goal, titles.get((goal,), ""), tuple(
            Policy(policy, titles.get((goal, policy), ""),
                   measures=tuple(Measure(m, titles.get((goal, policy, m), "")) for m in measures))
            for policy, measures in policies.items()))
        for goal, policies in tree.items())
