"""Optional columns (issue 9): 重点 / priority and further assessments (点検結果, …) in the records CSV,
the metadata that declares them, the declared tallies that count them, and the graph that carries them."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from planlod.bundled import BUNDLED_DATA
from planlod.cli import main
from planlod.csvio import read_records_csv, records_to_csv
from planlod.errors import PlanlodError
from planlod.graph import build_graph
from planlod.metadata import read_metadata
from planlod.pipeline import read_progress_table
from planlod.tallies import compare_tallies
from planlod.vocab import PLANLOD

HERE = Path(__file__).parent
CASE = HERE / "cases" / "harden"
KAWASAKI = BUNDLED_DATA / "source" / "kawasaki-city_frontier-plan_evaluations.csv"
INSPECTION = """
[assessments.inspection]
label = "点検結果"
en = "Inspection result"
values = ["A", "B"]

[assessments.inspection.levels."A"]
label = "拡大"
en = "Expand"
"""


def case(tmp_path: Path, meta_extra: str = INSPECTION, columns: dict[str, list[str]] | None = None) -> Path:
    """The harden case with extra metadata and, per extra column, its cells row by row."""
    (tmp_path / "records.meta.toml").write_text(
        (CASE / "records.meta.toml").read_text(encoding="utf-8") + meta_extra, encoding="utf-8")
    rows = list(csv.reader(io.StringIO((CASE / "records.csv").read_text(encoding="utf-8"))))
    for name, cells in (columns or {}).items():
        rows[0].append(name)
        for row, cell in zip(rows[1:], cells + [""] * len(rows), strict=False):
            row.append(cell)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (tmp_path / "records.csv").write_text(out.getvalue(), encoding="utf-8")
    return tmp_path / "records.csv"


def test_assessments_are_read_in_order_with_ids_and_labels(tmp_path: Path) -> None:
    meta = read_metadata(case(tmp_path).with_suffix(".meta.toml"))
    (inspection,) = meta.assessments
    assert (inspection.id, inspection.label, inspection.values) == ("inspection", "点検結果", ("A", "B"))
    assert [(lv.word, lv.id, lv.label, lv.en) for lv in inspection.levels] == [
        ("A", "a", "拡大", "Expand"), ("B", "b", "", "")]


@pytest.mark.parametrize(("extra", "message", "at"), [
    ('\n[assessments.inspection]\nlabel = "点検結果"\n', "needs a label and its values", "[assessments.inspection]"),
    ('\n[assessments.Inspection]\nlabel = "x"\nvalues = ["A"]\n', "is not an assessment table", None),
    (INSPECTION + '\n[assessments.inspection.levels."C"]\nlabel = "x"\n', "values does not list 'C'",
     '[assessments.inspection.levels."C"]'),
    (INSPECTION + 'pivot = "met"\n', "an assessment's levels have no pivot", 'pivot = "met"'),
    ('\n[assessments.x]\nlabel = "x"\nvalues = ["拡大"]\n', "the value '拡大' needs an id", None),
    ('\n[assessments.inspection]\nlabel = "x"\nvalues = ["A"]\ncolour = "red"\n', "unknown key 'colour'",
     'colour = "red"'),
])
def test_bad_assessment_metadata_is_named(tmp_path: Path, extra: str, message: str, at: str | None) -> None:
    """Each error names the file, and the line of the table or key where there is one."""
    meta = case(tmp_path, extra).with_suffix(".meta.toml")
    with pytest.raises(PlanlodError) as err:
        read_metadata(meta)
    assert message in str(err.value) and str(err.value.where).startswith(str(meta))
    if at is not None:
        line = int(str(err.value.where).rsplit(":", 1)[1])
        assert meta.read_text(encoding="utf-8").split("\n")[line - 1] == at


def test_optional_columns_round_trip(tmp_path: Path) -> None:
    source = case(tmp_path, columns={"priority": ["true", "", "false"], "assessment.inspection": ["A", "B"],
                                     "source": ["https://www.city.example.jp/p/1.html"], "note": ["", "read in part"]})
    meta = read_metadata(source.with_suffix(".meta.toml"))
    table = read_records_csv(source, results=meta.results, assessments=meta.assessments)
    first, second, third = table.activities[:3]
    assert (first.priority, first.assessments) == (True, (("inspection", "A"),))
    assert (second.priority, second.assessments) == (None, (("inspection", "B"),))
    assert (third.priority, third.assessments) == (False, ())
    assert (first.source, first.note, second.source, second.note) == (
        "https://www.city.example.jp/p/1.html", "", "", "read in part")
    text = records_to_csv(table.activities)
    assert text.split("\n")[0].endswith(",source_line,priority,assessment.inspection,source,note")
    again = tmp_path / "again.csv"
    again.write_text(text, encoding="utf-8")
    assert read_records_csv(again, results=meta.results, assessments=meta.assessments).activities == table.activities


@pytest.mark.parametrize(("columns", "where", "message"), [
    ({"assessment.inspection": ["Z"]}, "records.csv:2:assessment.inspection", "'Z' is not a value of 点検結果"),
    ({"priority": ["maybe"]}, "records.csv:2:priority", "'maybe' is not true or false"),
    ({"source": ["www.city.example.jp"]}, "records.csv:2:source", "'www.city.example.jp' is not an http(s) URL"),
    ({"assessment.validity": ["1"]}, "records.csv:1", "unknown column(s): assessment.validity"),
    ({"remarks": ["x"]}, "records.csv:1", "unknown column(s): remarks"),
])
def test_bad_optional_cells_are_errors_with_row_and_column(tmp_path: Path, columns: dict[str, list[str]],
                                                           where: str, message: str) -> None:
    source = case(tmp_path, columns=columns)
    result = CliRunner().invoke(main, ["build", "--source", str(source), "--out", str(tmp_path / "site")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"Error: {tmp_path / where}: {message}" in result.output
    assert not (tmp_path / "site").exists()


def test_priority_and_assessments_are_in_the_graph(tmp_path: Path) -> None:
    source = case(tmp_path, columns={"priority": ["true"], "assessment.inspection": ["A"]})
    graph = build_graph(read_progress_table(source))
    plan = "https://w3id.org/planlod/id/plan/141305/test-plan"
    scheme, value = URIRef(f"{plan}/assessment/inspection"), URIRef(f"{plan}/assessment/inspection/a")
    assert (URIRef(plan), PLANLOD.assessmentScheme, scheme) in graph
    (evaluation,) = graph.subjects(PLANLOD.assessment, value)
    assert (evaluation, PLANLOD.priority, Literal(True)) in graph
    assert len(set(graph.subjects(PLANLOD.priority, None))) == 1  # the other rows say nothing
    assert {str(o) for o in graph.objects(value, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))} == {
        "拡大", "Expand"}


def test_declared_figures_of_an_assessment_and_of_priority_rows_are_compared(tmp_path: Path) -> None:
    source = case(tmp_path, columns={"priority": ["true", "true"], "assessment.inspection": ["A", "B", "B"]})
    declared = source.with_name("records.declared.csv")
    declared.write_text(
        "fiscal_year,table,goal,policy,measure,goal_title,policy_title,measure_title,level,count,complete,source,"
        "assessment,priority\n"
        "2020,inspection,,,,,,,A,1,true,,inspection,false\n"
        "2020,inspection,,,,,,,B,2,true,,inspection,false\n"
        "2020,overall,,,,,,,,2,true,,,true\n"
        "2020,overall,,,,,,,達成,3,true,,,true\n", encoding="utf-8")
    comparison = compare_tallies(read_progress_table(source))
    assert [(line.category, line.computed, line.status) for line in comparison.lines] == [
        ("inspection A", 1, "ok"), ("inspection B", 2, "ok"), ("合計 (priority)", 2, "ok"),
        ("達成 (priority)", comparison.lines[3].computed, "DIFFERS")]
    result = CliRunner().invoke(main, ["build", "--source", str(source), "--out", str(tmp_path / "site")])
    assert result.exit_code == 1 and "differs from the declared count 3" in result.output
    fixed = declared.read_text(encoding="utf-8").replace(",達成,3,", f",達成,{comparison.lines[3].computed},")
    declared.write_text(fixed, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--source", str(source), "--out", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("row", "message"), [
    ("2020,x,,,,,,,Z,1,true,,inspection,false", "'Z' is not a value of 点検結果"),
    ("2020,x,,,,,,,,1,true,,inspection,false", "an assessment's figures name their value"),
    ("2020,x,,,,,,,A,1,true,,validity,false", "'validity' is not an assessment of the metadata"),
])
def test_bad_declared_assessment_figures_are_errors(tmp_path: Path, row: str, message: str) -> None:
    source = case(tmp_path)
    source.with_name("records.declared.csv").write_text(
        "fiscal_year,table,goal,policy,measure,goal_title,policy_title,measure_title,level,count,complete,source,"
        f"assessment,priority\n{row}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(source)])
    assert result.exit_code == 2 and message in result.output and "records.declared.csv:2" in result.output


def test_kawasakis_priority_flags_and_assessments_are_published() -> None:
    table = read_progress_table(KAWASAKI)
    fy2008 = tuple(a for a in table.activities if a.fiscal_year == 2008)
    graph = build_graph(replace(table, activities=fy2008, fiscal_year=2008))
    plan = "https://w3id.org/planlod/id/plan/141305/frontier"
    assert {str(s).rsplit("/", 1)[1] for s in graph.objects(URIRef(plan), PLANLOD.assessmentScheme)} == {
        "validity", "effectiveness", "three-year", "inspection"}
    priorities = sorted(bool(o.toPython()) for o in graph.objects(None, PLANLOD.priority))
    assert priorities == [False, False, True]  # 33103000 is 重点; 51504000 and 54402000 are not
    inspected = sorted(str(o).rsplit("/", 1)[1] for o in graph.objects(None, PLANLOD.assessment))
    assert inspected == ["a", "a", "c"]
    source = URIRef("http://purl.org/dc/terms/source")
    pages = sorted(str(graph.value(e, source)).rsplit("/", 1)[1] for e in graph.subjects(PLANLOD.priority, None))
    assert pages == ["33103000-1.html", "51504000-1.html", "54402000-1.html"]  # each evaluation's page


def test_the_kawasaki_sources_follow_from_the_sample(tmp_path: Path) -> None:
    """data/source is what the scripts make of data/samples/kawasaki: no hand edits in between."""
    for script, name in (("kawasaki_records.py", ".csv"), ("kawasaki_declared.py", ".declared.csv")):
        root = tmp_path / script
        shutil.copytree(HERE.parent / "scripts", root / "scripts")
        shutil.copytree(HERE.parent / "data" / "samples", root / "data" / "samples")
        (root / "data" / "source").mkdir()
        subprocess.run([sys.executable, str(root / "scripts" / script)], check=True, capture_output=True)
        made = root / "data" / "source" / f"kawasaki-city_frontier-plan_evaluations{name}"
        assert made.read_bytes() == KAWASAKI.with_name(KAWASAKI.stem + name).read_bytes()


def test_the_plans_own_level_names_are_published_as_collections() -> None:
    from rdflib.namespace import SKOS

    table = read_progress_table(KAWASAKI)
    graph = build_graph(replace(table, activities=tuple(a for a in table.activities if a.fiscal_year == 2010),
                                fiscal_year=2010))
    plan = URIRef("https://w3id.org/planlod/id/plan/141305/frontier")
    levels = {str(level).rsplit("/", 1)[1]: level for level in graph.objects(plan, PLANLOD.hierarchyLevel)}
    assert set(levels) == {"goal", "policy", "measure", "project"}  # no 事業内容 level in this plan
    names = {key: {str(o) for o in graph.objects(level, SKOS.prefLabel)} for key, level in levels.items()}
    assert names["goal"] == {"基本政策", "Basic policy"} and names["measure"] == {"施策課題", "Policy issue"}
    measures = {str(m).rsplit("/", 1)[1] for m in graph.objects(levels["measure"], SKOS.member)}
    assert "43103000" in measures  # the measure of the 2010 row
    assert any("基本施策" in str(note) for note in graph.objects(plan, SKOS.scopeNote))
