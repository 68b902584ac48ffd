"""A collection of reports (issue 9): sources found and split by year, collisions refused, reports independent."""

from __future__ import annotations

import csv
import filecmp
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from planlod.bundled import BUNDLED_DATA
from planlod.cli import main
from planlod.collection import find_sources
from planlod.pipeline import build_reports, build_site

from .conftest import BUNDLED, without_lang_marks

HERE = Path(__file__).parent
KAWASAKI = BUNDLED_DATA / "source" / "kawasaki-city_frontier-plan_evaluations.csv"


def _copy_source(source: Path, folder: Path, stem: str | None = None) -> Path:
    """A source with its sidecars (same stem), copied into folder, optionally under another stem."""
    stem = stem or source.stem
    folder.mkdir(parents=True, exist_ok=True)
    for sibling in source.parent.glob(source.stem + ".*"):
        shutil.copy(sibling, folder / (stem + sibling.name[len(source.stem):]))
    return folder / (stem + source.suffix)


def test_the_bundled_data_is_a_collection_of_four_reports() -> None:
    reports = build_reports(find_sources(BUNDLED_DATA))
    assert sorted(r.dataset_id for r in reports) == [
        "141305-frontier-fy2007", "141305-frontier-fy2008", "141305-frontier-fy2010", "151076-vision-3-fy2020"]
    assert all(r.outcome.conforms for r in reports)
    kawasaki = {r.table.fiscal_year: len(r.table.activities) for r in reports if r.iris.ward_code == "141305"}
    assert kawasaki == {2007: 10, 2008: 3, 2010: 1}


def test_the_same_report_twice_is_refused(tmp_path: Path) -> None:
    first = _copy_source(BUNDLED, tmp_path / "a")
    second = _copy_source(BUNDLED, tmp_path / "b")
    result = CliRunner().invoke(main, ["build", "--source", str(first), "--source", str(second),
                                       "--out", str(tmp_path / "site")])
    assert result.exit_code == 2, result.output
    assert "municipality 151076, plan vision-3, FY2020" in result.stderr and "also given by" in result.stderr
    assert not (tmp_path / "site").exists()


def test_one_file_named_twice_is_refused(tmp_path: Path) -> None:
    source = _copy_source(BUNDLED, tmp_path / "a")
    (tmp_path / "link.txt").symlink_to(source)
    result = CliRunner().invoke(main, ["build", "--source", str(source), "--source", str(tmp_path / "link.txt"),
                                       "--out", str(tmp_path / "site")])
    assert result.exit_code == 2 and "this file is given twice" in result.stderr


def test_a_publication_id_over_several_years_is_refused(tmp_path: Path) -> None:
    source = _copy_source(KAWASAKI, tmp_path)
    meta = source.with_name(source.stem + ".meta.toml")
    meta.write_text(meta.read_text(encoding="utf-8").replace('series_id = "141305-frontier"',
                                                             'id = "one-id"\nseries_id = "141305-frontier"'),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--source", str(source), "--out", str(tmp_path / "site")])
    assert result.exit_code == 2 and "[2007, 2008, 2010]" in result.stderr and "remove the id" in result.stderr


def test_several_publishers_need_a_catalog_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--source", str(BUNDLED), "--source", str(KAWASAKI),
                                       "--out", str(tmp_path / "site")])
    assert result.exit_code == 2 and "the catalog needs one" in result.stderr and "--catalog" in result.stderr


def test_adding_a_report_changes_no_byte_of_the_others_files(tmp_path: Path) -> None:
    alone, together = tmp_path / "alone", tmp_path / "together"
    assert build_site([BUNDLED], alone).published
    assert build_site([BUNDLED, KAWASAKI], together, catalog_path=BUNDLED_DATA / "catalog.toml").published
    own = sorted(p.relative_to(alone) for p in (alone / "data").glob("151076-vision-3-fy2020*"))
    assert len(own) == 6
    own.append(Path("reports/151076-vision-3-fy2020/index.html"))
    match, mismatch, errors = filecmp.cmpfiles(alone, together, [str(p) for p in own], shallow=False)
    assert mismatch == [] and errors == [] and len(match) == len(own)


@pytest.mark.parametrize("word", ["6", "達成"])
def test_a_level_the_scale_lacks_is_refused_with_its_line(tmp_path: Path, word: str) -> None:
    source = _copy_source(KAWASAKI, tmp_path)
    rows = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8"), newline="")))
    rows[3][rows[0].index("result")] = word
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    source.write_text(out.getvalue(), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--source", str(source), "--out", str(tmp_path / "site")])
    assert result.exit_code == 2 and f"{source}:4:result" in result.stderr
    assert f"'{word}' is not an evaluation of this scale" in result.stderr and "expected one of 1, 2, 3, 4, 5" in \
        result.stderr


def test_a_level_mapped_to_an_unknown_pivot_is_refused(tmp_path: Path) -> None:
    source = _copy_source(KAWASAKI, tmp_path)
    meta = source.with_name(source.stem + ".meta.toml")
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace('pivot = "not-met"', 'pivot = "partly"', 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--source", str(source), "--out", str(tmp_path / "site")])
    line = meta.read_text(encoding="utf-8").split("\n").index('pivot = "partly"') + 1
    assert result.exit_code == 2 and f"{meta}:{line}" in result.stderr and "'met', 'not-met'" in result.stderr


def test_a_second_edition_joins_the_series_and_the_year_over_year_query(tmp_path: Path) -> None:
    from rdflib import Graph, URIRef

    from planlod.queries import oxigraph_store, read_query, run_query

    fy2021 = HERE / "cases" / "collection" / "nishi-fy2021" / "records.csv"
    out = tmp_path / "site"
    assert build_site([BUNDLED, fy2021], out).published
    catalog = Graph().parse(out / "catalog.ttl")
    dcat, base = "http://www.w3.org/ns/dcat#", "https://w3id.org/planlod/id/dataset"
    series = URIRef(f"{base}-series/151076-vision-3")
    assert catalog.value(series, URIRef(dcat + "first")) == URIRef(f"{base}/151076-vision-3-fy2020")
    assert catalog.value(series, URIRef(dcat + "last")) == URIRef(f"{base}/151076-vision-3-fy2021")
    assert catalog.value(URIRef(f"{base}/151076-vision-3-fy2021"), URIRef(dcat + "prev")) == \
        URIRef(f"{base}/151076-vision-3-fy2020")
    names, rows = run_query(oxigraph_store(*sorted((out / "data").glob("*.nt"))),
                            read_query(BUNDLED_DATA.parent / "queries" / "year-over-year.rq"))
    changes = sorted((str(r[names.index("notation")]), str(r[names.index("change")])) for r in rows
                     if str(r[names.index("change")]) != "unchanged")
    assert changes == [("I-1-1-1-1", "now met"), ("II-1-1-1-1", "no longer met")]
    assert len(rows) == 102  # 103 rows in FY2020, one project ended, one started (no earlier year)
    # The shared plan keeps its IRIs: both editions evaluate the same activity resources.
    assert (out / "doc/plan/151076/vision-3/goal/I/policy/1/measure/1/project/1/activity/1/index.html").is_file()
    # What differs between the editions is recorded, not an error: the plan page and the changes CSV.
    with (out / "data" / "151076-vision-3-changes.csv").open(encoding="utf-8", newline="") as handle:
        recorded = sorted((r["change"], r["notation"], r["before"], r["after"]) for r in csv.DictReader(handle))
    assert recorded == [
        ("absent", "V-2-2-2", "西区PR(かがやき)大使", ""),
        ("absent", "V-2-2-2-1", "農産物等をはじめとする西区のPRの実施", ""),
        ("appears", "V-2-2-9", "", "新しい事業(試験用)"), ("appears", "V-2-2-9-1", "", "試験的に追加した事業内容"),
        ("no longer met", "II-1-1-1-1", "達成 met", "未達成 not met"),
        ("now met", "I-1-1-1-1", "未達成 not met", "達成 met"),
        ("retitled", "I-1-1", "子どもたちの健やかな育み", "子どもたちの健やかな育ち")]
    plan_page = without_lang_marks((out / "doc/plan/151076/vision-3/index.html").read_text(encoding="utf-8"))
    assert plan_page.count('<tr><td><a href="../../../../reports/151076-vision-3-fy20') == 2
    assert "名称変更 retitled 1" in plan_page and "子どもたちの健やかな育ち" in plan_page


def test_kawasakis_complete_page_reproduces_and_the_partial_ones_say_so() -> None:
    from planlod.tallies import compare_tallies

    reports = {r.table.fiscal_year: r for r in build_reports([KAWASAKI])}
    fy2008 = compare_tallies(reports[2008].table)
    complete = [line for line in fy2008.lines if line.complete]
    # 達成度 1-5 and 合計, the same of its priority projects (うち重点), and 点検結果 A-H.
    assert {line.path for line in complete} == {("3", "3-3", "33103000")} and len(complete) == 20
    assert all(line.status == "ok" for line in complete)
    assert [(line.category, line.computed) for line in complete if line.computed] == [
        ("3", 1), ("合計", 1), ("3 (priority)", 1), ("合計 (priority)", 1), ("inspection A", 1)]
    partial = [line for year in (2007, 2008, 2010) for line in compare_tallies(reports[year].table).lines
               if not line.complete]
    assert len(partial) == 936 and all(line.status == "partial" for line in partial)
    assert all(r.outcome.conforms for r in reports.values())


def test_a_partial_page_whose_rows_exceed_its_figure_is_a_violation(tmp_path: Path) -> None:
    source = _copy_source(KAWASAKI, tmp_path)
    declared = source.with_name(source.stem + ".declared.csv")
    text = declared.read_text(encoding="utf-8")
    # FY2007, page 11301000 prints 3 evaluations at level 3; its one captured row is level 4: set level 4 to 0.
    row = next(line for line in text.split("\n") if line.startswith("2007,page,1,1-1,11301000,") and
               ",4," in line)
    declared.write_text(text.replace(row, row.replace(",4,1,false,", ",4,0,false,")), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--source", str(source), "--out", str(tmp_path / "site")])
    assert result.exit_code == 1, result.output
    assert "exceeds the declared 0" in result.output and not (tmp_path / "site").exists()


def test_declared_figures_of_a_year_without_rows_are_reported() -> None:
    result = CliRunner().invoke(main, ["check", str(KAWASAKI)])
    assert result.exit_code == 0
    assert "kawasaki-city_frontier-plan_evaluations.declared.csv:718: 60 declared figures of fiscal year(s) " \
           "[2009] have no rows" in result.stderr


FOUR = HERE / "cases" / "collection" / "four-level" / "999991-sogo-keikaku-fy2024.csv"
INIT = ["init", "--code", "999991", "--plan-id", "sogo-keikaku", "--year", "2024", "--office-name", "テスト市",
        "--office-name-en", "Test City", "--plan-title", "テスト市総合計画", "--plan-title-en",
        "Test City Comprehensive Plan", "--levels", "A,B,C,D", "--met", "A,B"]


def test_planlod_init_then_rows_build_on_a_four_level_scale(tmp_path: Path) -> None:
    from rdflib import Graph, URIRef
    from rdflib.namespace import SKOS

    result = CliRunner().invoke(main, [*INIT, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    records = tmp_path / FOUR.name
    rows = FOUR.read_text(encoding="utf-8").split("\n", 1)[1]
    records.write_text(records.read_text(encoding="utf-8") + rows, encoding="utf-8")
    out = tmp_path / "site"
    build = CliRunner().invoke(main, ["build", "--source", str(records), "--out", str(out)])
    assert build.exit_code == 0, build.output
    data = Graph().parse(out / "data" / "999991-sogo-keikaku-fy2024.nt", format="nt")
    scale = "https://w3id.org/planlod/id/plan/999991/sogo-keikaku/scale/"
    pivot = "https://w3id.org/planlod/def#"
    for level, mapped in (("a", "met"), ("b", "met"), ("c", "notMet"), ("d", "notMet")):
        # two levels on each side: each is narrower than its pivot, not the same
        assert (URIRef(scale + level), SKOS.broadMatch, URIRef(pivot + mapped)) in data
        assert (URIRef(scale + level), SKOS.exactMatch, None) not in data
    # the project without a number, evaluated as a whole (no activity level)
    evaluated = {str(o) for o in data.objects(None, URIRef(pivot + "activity"))}
    assert any("/measure/120/project/n-" in iri and "/activity/" not in iri for iri in evaluated)


def test_the_four_level_fixture_builds_and_its_declared_tallies_reproduce() -> None:
    from planlod.tallies import compare_tallies

    [report] = build_reports([FOUR])
    assert report.outcome.conforms
    comparison = compare_tallies(report.table)
    assert comparison.matches and len(comparison.lines) == 6 and all(line.complete for line in comparison.lines)


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--code", "15107", "--code is not valid"), ("--plan-id", "Sogo Keikaku", "--plan-id is not valid"),
    ("--levels", "A", "--levels is not valid"), ("--met", "A,B,C,D", "--met is not valid"),
])
def test_init_refuses_values_that_would_not_build(tmp_path: Path, option: str, value: str, message: str) -> None:
    args = list(INIT)
    args[args.index(option) + 1] = value
    result = CliRunner().invoke(main, [*args, "--out", str(tmp_path)])
    assert result.exit_code == 2 and message in result.stderr and not list(tmp_path.iterdir())


def test_init_never_overwrites(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, [*INIT, "--out", str(tmp_path)]).exit_code == 0
    again = CliRunner().invoke(main, [*INIT, "--out", str(tmp_path)])
    assert again.exit_code == 2 and "exists already" in again.stderr


def test_fields_compare_both_municipalities(site: Path) -> None:
    from planlod.queries import oxigraph_store, read_query, run_query

    names, rows = run_query(oxigraph_store(*sorted((site / "data").glob("*.nt"))),
                            read_query(BUNDLED_DATA.parent / "queries" / "met-rate-by-field.rq"))
    education = {str(r[names.index("report")]).split("/report/")[1]: (int(str(r[names.index("evaluations")])),
                                                                     int(str(r[names.index("metCount")])))
                 for r in rows if str(r[names.index("field")]).endswith("/education")}
    assert education == {"141305/frontier/fy2007": (2, 2), "141305/frontier/fy2008": (1, 1),
                         "151076/vision-3/fy2020": (15, 7)}


def test_the_comparison_page_agrees_with_the_queries(site: Path) -> None:
    """compare.html shows both municipalities; its met-rates and field figures are what the SPARQL gives."""
    import re

    from planlod.queries import oxigraph_store, read_query, run_query

    page = without_lang_marks((site / "compare.html").read_text(encoding="utf-8"))
    store = oxigraph_store(*sorted((site / "data").glob("*.nt")))
    names, rows = run_query(store, read_query(BUNDLED_DATA.parent / "queries" / "met-rate-by-report.rq"))
    table = page[page.index('<table id="compare-reports">'):page.index("</table>", page.index("compare-reports"))]
    shown = re.findall(r'FY(\d{4})</a></td><td class="num">(\d+)</td>.*?<td class="num">(\d+)</td>'
                       r'<td class="num">(\d+)</td><td class="num">([\d.]+)%</td>', table, re.S)
    expected = sorted((str(r[names.index("year")]), str(r[names.index("evaluations")]), str(r[names.index("metCount")]),
                       str(r[names.index("notMetCount")]), f"{float(str(r[names.index('metRatePercent')])):.1f}")
                      for r in rows)
    assert sorted(shown) == expected and len(shown) == 4
    assert "川崎市" in table and "新潟市西区役所" in table
    assert "3 目標をほぼ達成: 7" in table  # each report's own levels beside the pivot
    assert page.count("<rect") >= 8 and "90.0%" in page[page.index("<svg"):page.index("</svg>")]
    fields = page[page.index('<table id="compare-fields">'):]
    education = re.search(r"<td>教育費 .*?</tr>", fields, re.S)
    assert education is not None
    assert re.findall(r'<td class="num">([^<]*)</td>', education.group(0)) == [
        "2/2 (100.0%)", "1/1 (100.0%)", "", "7/15 (46.7%)"]


@pytest.mark.parametrize(("entry", "message", "hint"), [
    ('"III" = "educaton"', "is not a field", "did you mean 'education'?"),
    ('"IX" = "education"', "which is no goal, policy or measure of this plan", "published with"),
])
def test_a_field_mapping_that_cannot_apply_is_refused(tmp_path: Path, entry: str, message: str, hint: str) -> None:
    source = _copy_source(BUNDLED, tmp_path)
    meta = source.with_name(source.stem + ".meta.toml")
    meta.write_text(meta.read_text(encoding="utf-8").replace('"III" = "education"', entry), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(source)])
    line = meta.read_text(encoding="utf-8").split("\n").index(entry) + 1
    assert result.exit_code == 2 and f"{meta}:{line}" in result.stderr
    assert message in result.stderr and hint in result.stderr
