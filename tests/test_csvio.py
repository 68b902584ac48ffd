from __future__ import annotations

import codecs
import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlod.csvio import read_records_csv, records_to_csv
from planlod.errors import RecordError
from planlod.records import CSV_COLUMNS, Activity, ProgressTable


def test_public_columns() -> None:
    assert CSV_COLUMNS == (
        "goal", "goal_title", "policy", "policy_title", "measure", "measure_title", "project_number",
        "project_name", "project_outline", "activity", "fiscal_year", "target", "actual", "previous_fiscal_year",
        "previous_actual", "result", "direction", "covid", "department", "source_line")


def test_bundled_records_round_trip_through_csv(bundled_table: ProgressTable, tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text(records_to_csv(bundled_table.activities), encoding="utf-8")
    again = read_records_csv(path)
    assert again.activities == bundled_table.activities
    assert records_to_csv(again.activities) == path.read_text(encoding="utf-8")
    assert [g.numeral for g in again.goals] == ["I", "II", "III", "IV", "V"]
    assert [len(g.policies) for g in again.goals] == [2, 2, 2, 2, 2]


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)


@settings(max_examples=60, deadline=None)
@given(_text, _text, _text, st.booleans(), st.one_of(st.none(), st.integers(1868, 2200)))
def test_any_texts_round_trip(tmp_path_factory: pytest.TempPathFactory, activity: str, target: str,
                              direction: str, covid: bool, previous: int | None) -> None:
    record = Activity("IV", "まち", "2", "施策", "3", "取組", "7", "事業, \"引用\"", "概要\n二行目", activity, 2020,
                      target, "実績", previous, "", "達成", direction, covid, "総務課", None)
    path = tmp_path_factory.mktemp("rt") / "r.csv"
    path.write_text(records_to_csv([record]), encoding="utf-8", newline="")
    assert read_records_csv(path).activities == (record,)


def _csv(tmp_path: Path, table: ProgressTable, edit: dict[str, str] | None = None, drop: str | None = None) -> Path:
    lines = records_to_csv(table.activities[:3]).splitlines()
    header = lines[0].split(",")
    if drop:
        i = header.index(drop)
        lines = [",".join(c for j, c in enumerate(line.split(",")) if j != i) for line in lines]
    if edit:
        cells = lines[2].split(",")
        for column, value in edit.items():
            cells[header.index(column)] = value
        lines[2] = ",".join(cells)
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_missing_column_is_named(bundled_table: ProgressTable, tmp_path: Path) -> None:
    with pytest.raises(RecordError, match="missing column.*department") as err:
        read_records_csv(_csv(tmp_path, bundled_table, drop="department"))
    assert err.value.where and err.value.where.endswith("bad.csv:1")


@pytest.mark.parametrize(("column", "value", "message"), [
    ("result", "済", "'済' is not an evaluation"),
    ("fiscal_year", "R2", "'R2' is not a Gregorian year"),
    ("covid", "maybe", "'maybe' is not true or false"),
    ("goal", "第一", "is not a notation"),
    ("measure", "1/2", "is not a notation"),
    ("policy", "0", "policy numbers are whole numbers from 1"),
    ("project_number", "0", "project numbers are whole numbers from 1"),
    ("policy", "", "'policy' is empty"),
    ("goal_title", "別のまち", "differs from"),
])
def test_bad_values_are_named_with_row_and_column(bundled_table: ProgressTable, tmp_path: Path,
                                                  column: str, value: str, message: str) -> None:
    with pytest.raises(RecordError, match=message) as err:
        read_records_csv(_csv(tmp_path, bundled_table, edit={column: value}))
    assert err.value.where == f"{tmp_path / 'bad.csv'}:3:{column}"


def test_other_scales_come_from_the_caller(bundled_table: ProgressTable, tmp_path: Path) -> None:
    rows = [replace(a, result="A") for a in bundled_table.activities[:2]]
    path = tmp_path / "five.csv"
    path.write_text(records_to_csv(rows), encoding="utf-8")
    assert read_records_csv(path, results=("S", "A", "B", "C", "D")).activities == tuple(rows)


# ---- issue 8: cells that crashed, formula injection, one numbering rule ---------------------------
HARDEN = Path(__file__).parent / "cases" / "harden"


def _damaged(tmp_path: Path, column: str, value: str) -> Path:
    table = read_records_csv(HARDEN / "records.csv")
    activities = list(table.activities)
    activities[1] = replace(activities[1], **{column: value})
    path = tmp_path / "records.csv"
    path.write_text(records_to_csv(activities), encoding="utf-8")
    (tmp_path / "records.meta.toml").write_bytes((HARDEN / "records.meta.toml").read_bytes())
    return path


def test_a_cell_past_the_csv_size_limit_is_an_error_with_its_line_issue_8(tmp_path: Path) -> None:
    from planlod.errors import RecordError

    path = _damaged(tmp_path, "activity", "長" * 140_000)
    with pytest.raises(RecordError, match="cannot be read") as caught:
        read_records_csv(path)
    assert caught.value.where == f"{path}:3" and "131,072" in (caught.value.hint or "")


@pytest.mark.parametrize("separator", ["\u2028", "\u0085", "\x0c", "\u2029", "\r"])
def test_line_separators_inside_cells_survive_the_build_issue_8(tmp_path: Path, separator: str) -> None:
    from rdflib import Graph, Literal

    from planlod.pipeline import build_site

    path = _damaged(tmp_path, "activity", f"前{separator}後")
    result = build_site([path], tmp_path / "site")
    assert result.published
    dump = next((tmp_path / "site" / "data").glob("*.nt"))
    graph = Graph().parse(dump, format="nt")
    assert any(isinstance(o, Literal) and str(o) == f"前{separator}後" for o in graph.objects())


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "-"])
def test_spreadsheet_csv_neutralises_formulas_and_template_keeps_them_issue_8(tmp_path: Path, value: str) -> None:
    from planlod.csvio import records_to_spreadsheet_csv

    path = _damaged(tmp_path, "target", value)
    table = read_records_csv(path)
    sheet = records_to_spreadsheet_csv(table.activities)
    assert sheet.startswith("\ufeff目標番号,目標名,")
    cells = [row[CSV_COLUMNS.index("target")] for row in csv.reader(io.StringIO(sheet[1:]))][1:]
    assert cells[1] == "'" + value
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for row in csv.reader(io.StringIO(sheet[1:]))
                   for c in row)
    # The template CSV is an input format: it keeps the value exactly, and reads back to the same records.
    assert read_records_csv(path).activities[1].target == value


def test_spreadsheet_csv_decodes_as_excel_does(tmp_path: Path) -> None:
    from planlod.csvio import records_to_spreadsheet_csv

    table = read_records_csv(HARDEN / "records.csv")
    data = records_to_spreadsheet_csv(table.activities).encode("utf-8")
    # Excel takes a BOM as UTF-8; without one, Japanese Windows reads cp932 and garbles the text.
    assert data.startswith(codecs.BOM_UTF8)
    assert "担当課" in data.decode("utf-8-sig") and table.activities[0].project_name in data.decode("utf-8-sig")


@pytest.mark.parametrize("column", ["policy", "measure", "project_number"])
def test_number_zero_is_refused_in_the_csv_issue_8(tmp_path: Path, column: str) -> None:
    from planlod.errors import RecordError

    with pytest.raises(RecordError, match="whole numbers from 1"):
        read_records_csv(_damaged(tmp_path, column, "0"))
