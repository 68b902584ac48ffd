"""The 進行管理表 layout reader: golden cases per layout fault, and the bundled source."""

from __future__ import annotations

import difflib
from collections import Counter
from pathlib import Path

import pytest

from planlod.csvio import records_to_csv
from planlod.layout import read_layout
from planlod.layout.rows import align_row
from planlod.pipeline import read_progress_table
from planlod.records import ProgressTable
from planlod.report import render_explain
from planlod.text import read_text

from .conftest import BUNDLED, LAYOUT_CASES

RESULTS = ("達成", "未達成")


@pytest.mark.parametrize("case", LAYOUT_CASES, ids=lambda p: p.name)
def test_layout_case_reads_to_expected_records(case: Path) -> None:
    got = records_to_csv(read_progress_table(case / "input.txt").activities)
    expected = (case / "expected.csv").read_text(encoding="utf-8")
    assert got == expected, "\n" + "".join(difflib.unified_diff(
        expected.splitlines(True), got.splitlines(True), "expected.csv", "got"))


@pytest.mark.parametrize("case", LAYOUT_CASES, ids=lambda p: p.name)
def test_layout_case_accounts_for_every_line(case: Path) -> None:
    table = read_progress_table(case / "input.txt")
    lines = read_text(case / "input.txt").lines
    assert [n.line for n in table.lines] == list(range(1, len(lines) + 1))


# ---- cell alignment by meaning --------------------------------------------------------
def _row(*cells: str) -> list[str]:
    return list(cells)


def test_plain_row() -> None:
    row = align_row(_row("1", "名", "概要", "内容", "前", "目標", "実績", "-", "達成", "総務課", ""), RESULTS)
    assert (row.previous_actual, row.target, row.actual, row.direction) == ("前", "目標", "実績", "-")
    assert (row.result, row.department, row.carried_result, row.rules) == ("達成", "総務課", None, ())


def test_evaluation_fused_into_department() -> None:
    row = align_row(_row("1", "名", "概要", "内容", "前", "目標", "実績", "-", "未達成 健康福祉課"), RESULTS)
    assert (row.result, row.department, row.direction) == ("未達成", "健康福祉課", "-")


def test_fused_evaluation_after_an_empty_evaluation_cell() -> None:
    row = align_row(_row("1", "名", "概", "内", "前", "目", "実", "-", "", "達成 教育支援センター", ""), RESULTS)
    assert (row.result, row.department, row.actual) == ("達成", "教育支援センター", "実")


def test_department_cell_carrying_the_next_rows_evaluation() -> None:
    row = align_row(_row("※ 2", "名", "概", "内", "実施", "実施", "実施", "-", "達成", "地域課 未達成"), RESULTS)
    assert (row.result, row.department, row.carried_result) == ("達成", "地域課", "未達成")


def test_extra_empty_cell_shifting_the_row_right() -> None:
    row = align_row(_row("", "", "", "内容", "", "実施", "実施", "実施", "-", "", ""), RESULTS)
    assert (row.previous_actual, row.target, row.actual, row.direction, row.result) == (
        "実施", "実施", "実施", "-", None)


def test_duplicated_dash_cell() -> None:
    row = align_row(_row("1", "名", "概", "内", "前", "目", "実", "-", "-", "達成", "区民生活課", "", ""), RESULTS)
    assert (row.direction, row.result, row.department) == ("-", "達成", "区民生活課")


def test_unknown_evaluation_word_is_named() -> None:
    with pytest.raises(ValueError, match="'済' stands where the evaluation goes"):
        align_row(_row("1", "名", "概", "内", "前", "目", "実", "-", "済", "総務課"), RESULTS)


def test_other_scales_are_recognised() -> None:
    row = align_row(_row("1", "名", "概", "内", "前", "目", "実", "-", "B", "総務課"), ("A", "B", "C"))
    assert row.result == "B"


# ---- the bundled source -----------------------------------------------------------------
def test_bundled_source_reproduces_every_declared_figure(bundled_table: ProgressTable) -> None:
    overall = Counter(a.result for a in bundled_table.activities)
    declared = {(d.table, d.goal, d.label): d.count for d in bundled_table.declared}
    assert len(declared) == 19
    assert overall["達成"] == declared[("overall", None, "達成")]
    assert overall["未達成"] == declared[("overall", None, "未達成")]
    assert len(bundled_table.activities) == declared[("overall", None, "合計")] == declared[("by-goal", None, "合計")]
    for goal in ("I", "II", "III", "IV", "V"):
        counts = Counter(a.result for a in bundled_table.activities if a.goal == goal)
        assert counts["達成"] == declared[("by-goal", goal, "達成")], goal
        assert counts["未達成"] == declared[("by-goal", goal, "未達成")], goal
        assert sum(counts.values()) == declared[("by-goal", goal, "小計")], goal


def test_bundled_source_every_line_is_accounted_for(bundled_table: ProgressTable) -> None:
    assert [n.line for n in bundled_table.lines] == list(range(1, 581))
    kinds = Counter(n.kind for n in bundled_table.lines)
    assert kinds["data-row"] == 103
    assert kinds["running-header"] == 2
    assert kinds["stray-row"] == 2
    assert kinds["goal-heading"] == 5 and kinds["policy-heading"] == 10
    assert all(n.detail for n in bundled_table.lines if n.kind == "data-row")


def test_bundled_source_document_level(bundled_table: ProgressTable) -> None:
    t = bundled_table
    assert t.title == "西区区ビジョンまちづくり計画 第3次実施計画 進行管理表（令和2年度実施事業）"
    assert t.fiscal_year == 2020
    assert [g.numeral for g in t.goals] == ["I", "II", "III", "IV", "V"]
    assert t.goals[3].title == "豊かな自然と快適な住環境を大切にするまち"
    assert [p.title for p in t.goals[0].policies] == [
        "人と人がつながり支え合うまちづくり", "安心で安全に暮らせるまちづくり"]
    assert t.goals[0].policies[0].description.startswith("地域の中で人ととのつながりを大切にし")
    measure = t.goals[0].policies[0].measures[1]
    assert (measure.number, measure.title) == ("2", "健やかに、いきいきとした暮らしづくり")
    assert len(measure.directions) == 3 and "各種検診など" in measure.directions[0]
    assert t.markers[0].marker == "※" and "新型コロナウイルス" in t.markers[0].meaning
    assert "保護課" in t.departments and len(t.departments) == 10
    assert len(t.corrections) == 5 and t.encoding == "utf-8"
    assert not t.diagnostics


def test_bundled_source_rows_with_layout_faults(bundled_table: ProgressTable) -> None:
    by_line = {a.source_line: a for a in bundled_table.activities}
    assert by_line[308].project_number == by_line[307].project_number == "3"         # merged name, top of table
    assert by_line[307].project_name == "大学等連携事業" and by_line[307].covid      # * stands for ※
    assert (by_line[388].project_number, by_line[388].project_name) == ("2", "西区一斉クリーンデー")
    assert by_line[419].project_name == "西川絵画ポスター コンクール"              # OCR garbage corrected
    assert (by_line[518].result, by_line[519].result, by_line[519].department) == ("達成", "未達成", "地域課")
    assert (by_line[165].previous_actual, by_line[165].result) == ("実施", "達成")  # shifted row, merged cell
    assert by_line[320].activity == "" and by_line[320].result == "未達成"          # ※ and evaluation only
    assert (by_line[550].fiscal_year, by_line[550].previous_fiscal_year) == (2020, 2019)  # corrected headers
    assert all(a.fiscal_year == 2020 and a.previous_fiscal_year == 2019 for a in bundled_table.activities)
    assert sum(a.covid for a in bundled_table.activities) == 35


def test_ocr_garbage_is_reported_when_not_corrected() -> None:
    lines = read_text(BUNDLED).lines
    lines[307] = lines[307].replace("*", "* 3", 1)
    lines[546] = lines[546].replace("(参考) H30実績\tH31", "(参考) H31実績\tR2")
    table = read_layout(lines, "src.txt")
    places = [d.where for d in table.diagnostics]
    assert places == ["src.txt:403:21", "src.txt:419:12"]
    assert "Cyrillic letters 'конкур'" in table.diagnostics[1].message


def test_explain_names_every_line(bundled_table: ProgressTable) -> None:
    text = render_explain(bundled_table)
    assert "580 lines accounted for" in text
    assert "running-header" in text and "stray-row" in text
    assert "[department cell carries the next row's evaluation 未達成]" in text


# ---- layout errors: named place, no guessing ----------------------------------------------
def _read(text: str) -> ProgressTable:
    return read_layout(text.split("\n"), "t.txt")


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: t.replace("(参考) H31実績\tR2", "(参考) H30実績\tH31"),
     r"t.txt:34: this table reports fiscal year 2019 \(H31\), but the document reports fiscal year 2020"),
    (lambda t: t.replace("1\t事業A\t概要A", "\t事業A\t概要A"), r"t.txt:37: project '事業A' has no number"),
    (lambda t: t.replace("\t\t\t内容A2", "1\t事業B\t\t内容A2"), r"t.txt:38: project 1 appears twice"),
    (lambda t: t.replace("1\t事業A\t概要A", "\t\t概要A"), r"t.txt:37: this row has no project number or name"),
    (lambda t: t.replace("(1)テストの取組", "(1)テストの取組\n\nI テストのまち◆別の施策"),
     r"t.txt:32: running header names goal I ◆別の施策, but the section is I ◆テストの施策"),
    (lambda t: t.replace("達成\t総務課\t\n", "達成\t総務課 未達成\n", 1), r"t.txt:38: line 37 carries the evaluation"),
    (lambda t: t.replace("◆テストの施策", "テストの施策"), r"t.txt:30: a measure heading before any policy"),
    (lambda t: t.replace("\t実施\t実施\t実施\t-\t達成\t総務課", "\t\t\t\t\t\t\t実施\t実施\t実施\t-\t達成\t総務課"),
     r"t.txt:37: this row has 16 cells but its table header \(line 34\) has 11"),
])
def test_layout_errors_name_their_line(minimal_text: str, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    from planlod.errors import SourceError

    with pytest.raises(SourceError, match=message):
        _read(edit(minimal_text))


def test_the_bundled_source_needs_its_corrections() -> None:
    from planlod.corrections import apply_corrections, read_corrections
    from planlod.errors import SourceError

    lines = read_text(BUNDLED).lines
    fixes = read_corrections(BUNDLED.with_name(BUNDLED.stem + ".corrections.csv"))
    with pytest.raises(SourceError, match=r"t.txt:308: project '大学等連携事業' has no number"):
        read_layout(lines, "t.txt")
    without_year_fix = tuple(f for f in fixes if f.line != 547)
    with pytest.raises(SourceError, match=r"t.txt:547: this table reports fiscal year 2019 \(H31\)"):
        read_layout(apply_corrections(lines, without_year_fix, "t.txt"), "t.txt")
    assert len(read_layout(apply_corrections(lines, fixes, "t.txt"), "t.txt").activities) == 103


# ---- robustness: damaged input gives a table or a named error, never a crash ---------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from planlod.errors import PlanlodError  # noqa: E402

_BUNDLED_LINES = read_text(BUNDLED).lines


@st.composite
def damaged(draw: st.DrawFn) -> list[str]:
    lines = list(_BUNDLED_LINES)
    for _ in range(draw(st.integers(1, 4))):
        n = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["drop", "duplicate", "shift", "drop-cell", "truncate", "garble", "swap"]))
        cells = lines[n].split("\t")
        if kind == "drop":
            del lines[n]
        elif kind == "duplicate":
            lines.insert(n, lines[n])
        elif kind == "shift":
            lines[n] = "\t" + lines[n]
        elif kind == "drop-cell" and len(cells) > 1:
            del cells[draw(st.integers(0, len(cells) - 1))]
            lines[n] = "\t".join(cells)
        elif kind == "truncate":
            lines[n] = lines[n][: draw(st.integers(0, len(lines[n])))]
        elif kind == "garble":
            lines[n] = draw(st.text(alphabet="達成未※*()（）◆ -I V1２\t事業番号", max_size=30))
        elif kind == "swap" and n + 1 < len(lines):
            lines[n], lines[n + 1] = lines[n + 1], lines[n]
    return lines


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_damaged_sources_give_a_table_or_a_named_error(lines: list[str]) -> None:
    try:
        table = read_layout(lines, "damaged.txt")
    except PlanlodError as err:
        assert err.where and err.where.startswith("damaged.txt"), err
        return
    assert [n.line for n in table.lines] == list(range(1, len(lines) + 1))


@pytest.mark.parametrize(("old", "new", "what"), [
    ("(1)テストの取組", "(0)テストの取組", "measure"),
    ("1\t事業A\t", "0\t事業A\t", "project"),
])
def test_number_zero_is_refused_in_the_text_as_in_the_csv_issue_8(minimal_text: str, old: str, new: str,
                                                                    what: str) -> None:
    from planlod.errors import SourceError

    lines = minimal_text.replace(old, new, 1).split("\n")
    with pytest.raises(SourceError, match=f"{what} numbers are whole numbers from 1") as caught:
        read_layout(lines, "t.txt", results=RESULTS)
    assert caught.value.where == f"t.txt:{next(i for i, line in enumerate(lines, 1) if line.startswith(new))}"
