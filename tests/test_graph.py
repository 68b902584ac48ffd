"""Records -> graph: golden case by isomorphism, determinism, IRIs, and tallies by SPARQL alone."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import BNode, Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from planlod.errors import PlanlodError
from planlod.formats import FORMATS
from planlod.graph import build_graph
from planlod.pipeline import graph_of, read_progress_table
from planlod.quantities import parse_quantity
from planlod.records import ProgressTable
from planlod.serialize import serialize_graph
from planlod.vocab import PLANLOD

from .conftest import BUNDLED, HERE, ROOT

GRAPH_CASES = sorted(p for p in (HERE / "cases" / "graph").iterdir() if p.is_dir())


def assert_isomorphic(got: Graph, expected: Graph) -> None:
    if isomorphic(got, expected):
        return
    _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
    def dump(g: Graph) -> str:
        return "\n".join(sorted(g.serialize(format="nt").splitlines()))
    pytest.fail(f"graphs differ\n--- only in the result:\n{dump(only_got)}\n--- only expected:\n{dump(only_expected)}")


@pytest.mark.parametrize("case", GRAPH_CASES, ids=lambda p: p.name)
def test_table_maps_to_expected_graph(case: Path) -> None:
    assert_isomorphic(graph_of(case / "input.txt"), Graph().parse(case / "expected.ttl"))


@pytest.fixture(scope="module")
def bundled_graph() -> Graph:
    return graph_of(BUNDLED)


def test_same_input_same_bytes_in_every_format(bundled_graph: Graph) -> None:
    again = graph_of(BUNDLED)
    for rdf_format in FORMATS:
        assert serialize_graph(bundled_graph, rdf_format) == serialize_graph(again, rdf_format), rdf_format.name


def test_every_format_parses_back_to_the_same_graph(bundled_graph: Graph) -> None:
    for rdf_format in FORMATS:
        text = serialize_graph(bundled_graph, rdf_format)
        assert isomorphic(Graph().parse(data=text, format=rdf_format.name), bundled_graph), rdf_format.name


def test_no_blank_nodes_and_ascii_iris(bundled_graph: Graph) -> None:
    for triple in bundled_graph:
        assert not any(isinstance(term, BNode) for term in triple), triple
        assert all(str(term).isascii() for term in triple if isinstance(term, URIRef)), triple


def test_one_evaluation_per_row_and_one_reference_per_printed_previous_actual(
        bundled_graph: Graph, bundled_table: ProgressTable) -> None:
    evaluations = set(bundled_graph.subjects(predicate=None, object=PLANLOD.Evaluation))
    references = set(bundled_graph.subjects(predicate=None, object=PLANLOD.ReferenceActual))
    assert len(evaluations) == 103
    assert len(references) == sum(1 for a in bundled_table.activities if a.previous_actual)


def test_sparql_over_the_graph_alone_reproduces_every_declared_tally(
        bundled_graph: Graph, bundled_table: ProgressTable) -> None:
    query = (ROOT / "queries" / "declared-vs-computed.rq").read_text(encoding="utf-8")
    rows = list(bundled_graph.query(query))
    assert len(rows) == len(bundled_table.declared) == 19
    for row in rows:
        assert int(row.computed) == int(row.declared), row
    # and the counts themselves, by goal, against the summary read from the source text
    by_goal = (ROOT / "queries" / "totals-by-goal.rq").read_text(encoding="utf-8")
    counted = {(str(r.notation), str(r.result)): int(r["count"]) for r in bundled_graph.query(by_goal)}
    for d in bundled_table.declared:
        if d.goal and d.label in ("達成", "未達成"):
            assert counted.get((d.goal, d.label), 0) == d.count, d


def test_declared_counts_are_kept_apart_from_evaluations(bundled_graph: Graph) -> None:
    declared = set(bundled_graph.subjects(predicate=None, object=PLANLOD.DeclaredCount))
    evaluations = set(bundled_graph.subjects(predicate=None, object=PLANLOD.Evaluation))
    assert len(declared) == 19 and not declared & evaluations
    datasets = {bundled_graph.value(d, URIRef("http://purl.org/linked-data/cube#dataSet")) for d in declared}
    assert len(datasets) == 1 and str(datasets.pop()).endswith("/fy2020/declared")


def test_corrections_are_recorded_with_original_and_corrected_text(bundled_graph: Graph) -> None:
    corrections = list(bundled_graph.subjects(predicate=None, object=PLANLOD.Correction))
    assert len(corrections) == 5
    originals = {str(bundled_graph.value(c, PLANLOD.originalText)) for c in corrections}
    assert "конкурール" in originals


def test_base_iri_is_configurable(bundled_table: ProgressTable) -> None:
    graph = build_graph(bundled_table, "http://example.org/lod/")
    subjects = {str(s) for s in graph.subjects() if isinstance(s, URIRef)}
    ours = {s for s in subjects if "/id/" in s}
    assert ours and all(s.startswith("http://example.org/lod/id/") for s in ours)


@pytest.mark.parametrize("base", ["ftp://x/", "https://example.org/no-slash", "https://例え.jp/"])
def test_bad_base_iri_is_refused(bundled_table: ProgressTable, base: str) -> None:
    with pytest.raises(PlanlodError, match="not a usable base IRI"):
        build_graph(bundled_table, base)


def test_graph_needs_metadata_for_iris(tmp_path: Path) -> None:
    source = tmp_path / "t.txt"
    source.write_bytes((HERE / "cases" / "layout" / "continuation-rows" / "input.txt").read_bytes())
    with pytest.raises(PlanlodError, match="municipality code and the plan's id"):
        build_graph(read_progress_table(source))


def test_fiscal_years_are_intervals_with_iso_dates(bundled_graph: Graph) -> None:
    fy = URIRef("https://w3id.org/planlod/id/fiscal-year/2020")
    dcat = "http://www.w3.org/ns/dcat#"
    assert str(bundled_graph.value(fy, URIRef(dcat + "startDate"))) == "2020-04-01"
    assert str(bundled_graph.value(fy, URIRef(dcat + "endDate"))) == "2021-03-31"
    labels = {str(x) for x in bundled_graph.objects(fy, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    assert labels == {"令和2年度", "FY2020"}


def test_every_department_is_a_unit_of_the_ward_office(bundled_graph: Graph, bundled_table: ProgressTable) -> None:
    office = URIRef("https://w3id.org/planlod/id/org/151076")
    units = set(bundled_graph.subjects(URIRef("http://www.w3.org/ns/org#unitOf"), office))
    assert len(units) == len(bundled_table.departments) == 10
    city = URIRef("https://w3id.org/planlod/id/org/151009")
    assert (office, URIRef("http://www.w3.org/ns/org#unitOf"), city) in bundled_graph


# ---- numbers inside target and actual texts ------------------------------------------------
@pytest.mark.parametrize(("text", "value", "unit", "comparator"), [
    ("幼児健診受診率 96%以上", "96", "%", "min"), ("参加者180組", "180", "組", None),
    ("参加延べ人数 2,324人", "2324", "人", None), ("14ヶ所で実施", "14", "ヶ所", None),
    ("１５コミ協で開催", "15", "", None), ("待機児童 0人以下", "0", "人", "max"), ("面積A=23.0ha", "23.0", "ha", None),
])
def test_quantities(text: str, value: str, unit: str, comparator: str | None) -> None:
    q = parse_quantity(text)
    assert q is not None and (str(q.value), q.unit, q.comparator) == (value, unit, comparator)


@pytest.mark.parametrize("text", ["実施", "2月までの対象者世帯200人", "", "17,325件 共催 25件"])
def test_no_quantity_unless_exactly_one_number(text: str) -> None:
    assert parse_quantity(text) is None


@given(st.integers(0, 10**7), st.sampled_from(["回", "人", "%", "団体", ""]), st.sampled_from(["", "以上", "以下"]))
def test_quantity_round_trip(n: int, unit: str, suffix: str) -> None:
    q = parse_quantity(f"年間 {n:,}{unit}{suffix}")
    assert q is not None and q.value == n and q.unit == unit
    assert q.comparator == {"": None, "以上": "min", "以下": "max"}[suffix]


def test_results_tally_matches_rows(bundled_graph: Graph, bundled_table: ProgressTable) -> None:
    query = """PREFIX planlod: <https://w3id.org/planlod/def#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?pivot (COUNT(?e) AS ?n) WHERE { ?e a planlod:Evaluation ; planlod:result/skos:exactMatch ?pivot }
        GROUP BY ?pivot"""
    counts = {str(r.pivot).rsplit("#", 1)[1]: int(r.n) for r in bundled_graph.query(query)}
    rows = Counter(a.result for a in bundled_table.activities)
    assert counts == {"met": rows["達成"], "notMet": rows["未達成"]}
