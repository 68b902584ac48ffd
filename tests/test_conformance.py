"""The standards' own rules (issue 12): each holds on the bundled collection, and each has a failing
fixture that trips exactly that rule (applied to the small golden graph, read with the vocabulary)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef

from planlod.bundled import BUNDLED_DATA, VOCAB_PATH
from planlod.cli import main
from planlod.collection import find_sources
from planlod.conformance import Conformance, check_graph, check_index
from planlod.conformance.files import check_csvw, check_jsonld
from planlod.conformance.vocabulary import check_vocabulary
from planlod.formats import JSON_LD
from planlod.pipeline import build_reports
from planlod.serialize import serialize_graph
from planlod.shacl.facts import Facts

from .conftest import HERE

SAMPLE = HERE / "cases" / "graph" / "small" / "expected.ttl"
PREAMBLE = """BASE <https://w3id.org/planlod/id/>
PREFIX planlod: <https://w3id.org/planlod/def#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
"""
ONE_EVALUATION = '?o a planlod:Evaluation ; planlod:sourceLine "37"^^xsd:positiveInteger'
MEASURE_TYPE_CUBE = """<x/dsd> a qb:DataStructureDefinition ; qb:component <x/c1>, <x/c2>, <x/c3> .
    <x/c1> qb:dimension qb:measureType . <x/c2> qb:measure planlod:count . <x/c3> qb:measure planlod:referenceActual .
    qb:measureType rdfs:range qb:MeasureProperty . <x/ds> a qb:DataSet ; qb:structure <x/dsd> ."""
SLICE = """planlod:evaluationStructure qb:sliceKey <x/key> .
    <x/key> a qb:SliceKey ; qb:componentProperty sdmx-dimension:refPeriod ."""
# rule -> the update that breaks it (and nothing else)
BREAKS = {
    "qb:IC-1": "INSERT DATA { <x/o> a qb:Observation }",
    "qb:IC-2": "INSERT DATA { <x/ds> a qb:DataSet }",
    "qb:IC-3": "INSERT DATA { <x/dsd> a qb:DataStructureDefinition }",
    "qb:IC-4": "INSERT DATA { <x/dim> a qb:DimensionProperty }",
    "qb:IC-5": "INSERT DATA { <x/dim> a qb:DimensionProperty ; rdfs:range skos:Concept }",
    "qb:IC-6": """INSERT DATA { <x/dsd> a qb:DataStructureDefinition ; qb:component <x/cs>, <x/cm> .
        <x/cs> qb:dimension <x/dim> ; qb:componentRequired false . <x/dim> rdfs:range xsd:string .
        <x/cm> qb:measure planlod:count }""",
    "qb:IC-7": "INSERT DATA { <x/key> a qb:SliceKey }",
    "qb:IC-8": """INSERT DATA { planlod:evaluationStructure qb:sliceKey <x/key> .
        <x/key> a qb:SliceKey ; qb:componentProperty planlod:count }""",
    "qb:IC-9": "INSERT DATA { <x/slice> a qb:Slice }",
    "qb:IC-10": f"INSERT DATA {{ {SLICE} <x/slice> a qb:Slice ; qb:sliceStructure <x/key> }}",
    "qb:IC-11": f"""DELETE {{ ?o sdmx-dimension:refPeriod ?p }}
        WHERE {{ {ONE_EVALUATION} ; sdmx-dimension:refPeriod ?p }}""",
    "qb:IC-12": f"""INSERT {{ <x/copy> qb:dataSet ?d ; planlod:activity ?a ; sdmx-dimension:refPeriod ?p ;
        planlod:result ?r }} WHERE {{ {ONE_EVALUATION} ; qb:dataSet ?d ; planlod:activity ?a ;
        sdmx-dimension:refPeriod ?p ; planlod:result ?r }}""",
    "qb:IC-13": """INSERT DATA { planlod:evaluationStructure qb:component <x/cs> .
        <x/cs> qb:attribute planlod:issuesAndDirection ; qb:componentRequired true }""",
    "qb:IC-14": f"DELETE {{ ?o planlod:result ?r }} WHERE {{ {ONE_EVALUATION} ; planlod:result ?r }}",
    "qb:IC-15": f"""INSERT DATA {{ {MEASURE_TYPE_CUBE}
        <x/o1> qb:dataSet <x/ds> ; qb:measureType planlod:count .
        <x/o2> qb:dataSet <x/ds> ; qb:measureType planlod:referenceActual ; planlod:referenceActual "x"@ja }}""",
    "qb:IC-16": f"""INSERT DATA {{ {MEASURE_TYPE_CUBE}
        <x/o1> qb:dataSet <x/ds> ; qb:measureType planlod:count ; planlod:count 1 ; planlod:referenceActual "y"@ja .
        <x/o2> qb:dataSet <x/ds> ; qb:measureType planlod:referenceActual ; planlod:referenceActual "x"@ja }}""",
    "qb:IC-17": f"""INSERT DATA {{ {MEASURE_TYPE_CUBE}
        <x/o1> qb:dataSet <x/ds> ; qb:measureType planlod:count ; planlod:count 1 }}""",
    "qb:IC-18": f"""INSERT {{ {SLICE} <x/ds> qb:slice <x/slice> . <x/slice> qb:sliceStructure <x/key> ;
        sdmx-dimension:refPeriod ?p ; qb:observation ?o }}
        WHERE {{ {ONE_EVALUATION} ; sdmx-dimension:refPeriod ?p }}""",
    "qb:IC-19": """DELETE { ?d planlod:resultCategory ?c } INSERT { ?d planlod:resultCategory planlod:met }
        WHERE { BIND (<report/141305/test-plan/fy2020/declared/by-goal/I/achieved> AS ?d)
                ?d planlod:resultCategory ?c }""",
    "qb:IC-20": """INSERT DATA { <x/list> a qb:HierarchicalCodeList ; qb:hierarchyRoot <x/root> ;
        qb:parentChildProperty skos:narrower . planlod:summaryTable qb:codeList <x/list> }""",
    "qb:IC-21": """INSERT DATA { <x/list> a qb:HierarchicalCodeList ; qb:hierarchyRoot <x/root> ;
        qb:parentChildProperty [ owl:inverseOf skos:broader ] . planlod:summaryTable qb:codeList <x/list> }""",
    "skos:S9": """INSERT { ?p a skos:Concept ; skos:inScheme ?p ; skos:topConceptOf ?p }
        WHERE { ?p a planlod:Plan }""",
    "skos:S13": "INSERT { ?g skos:altLabel ?l } WHERE { ?g a planlod:Goal ; skos:prefLabel ?l }",
    "skos:S14": 'INSERT { ?g skos:prefLabel "別の名前"@ja } WHERE { ?g a planlod:Goal }',
    "skos:S27": "INSERT { ?p skos:related ?g } WHERE { ?p a planlod:Policy ; skos:broader ?g }",
    "skos:S37": """INSERT { ?c a skos:Concept ; skos:inScheme ?p ; skos:topConceptOf ?p }
        WHERE { ?p planlod:hierarchyLevel ?c }""",
    "skos:in-scheme": "INSERT DATA { <x/c> a skos:Concept }",
    "skos:top-concepts": "INSERT { <x/c> a skos:Concept ; skos:inScheme ?p } WHERE { ?p a planlod:Plan }",
    "skos:broader-cycles": """INSERT { ?g skos:broader ?m }
        WHERE { ?m a planlod:Measure ; skos:broader/skos:broader ?g }""",
    "vocab:defined": "INSERT { ?o planlod:unknownTerm 1 } WHERE { ?o a planlod:Evaluation }",
}


def failed(graph: Graph) -> set[str]:
    return {r.rule.id for r in check_graph(graph).failed}


def test_every_rule_holds_on_every_bundled_report() -> None:
    reports = build_reports(find_sources(BUNDLED_DATA))
    assert len(reports) == 4
    for report in reports:
        assert report.conformance.conforms, report.conformance.text()
        assert len(report.conformance.results) == 21 + 8 + 4


def test_the_small_sample_holds_every_rule() -> None:
    assert failed(Graph().parse(SAMPLE)) == set()


def test_every_graph_rule_has_a_failing_fixture() -> None:
    rules = {r.rule.id for r in check_graph(Graph().parse(SAMPLE)).results}
    vocabulary_only = {"vocab:labels", "vocab:definitions", "vocab:domain-range"}
    assert rules - vocabulary_only == set(BREAKS)


@pytest.mark.parametrize("rule", sorted(BREAKS))
def test_a_fixture_trips_exactly_its_rule(rule: str) -> None:
    graph = Graph().parse(SAMPLE)
    before = set(graph)
    graph.update(PREAMBLE + BREAKS[rule])
    assert set(graph) != before, "the update changed nothing"
    assert failed(graph) == {rule}


@pytest.mark.parametrize(("rule", "edit"), [
    ("vocab:labels", ('rdfs:label "件数"@ja , "count"@en ;', 'rdfs:label "件数"@ja ;')),
    ("vocab:definitions", ('rdfs:comment "集計表に印刷された件数。"@ja , ', "rdfs:comment ")),
    ("vocab:domain-range", ("    rdfs:range xsd:nonNegativeInteger ;\n", "")),
])
def test_a_vocabulary_edit_trips_exactly_its_rule(rule: str, edit: tuple[str, str]) -> None:
    text = VOCAB_PATH.read_text(encoding="utf-8")
    start = text.index("planlod:count a ")
    end = text.index("\n\n", start)
    block = text[start:end]
    assert edit[0] in block, "the vocabulary changed: update the fixture"
    vocab = Graph().parse(data=text[:start] + block.replace(edit[0], edit[1], 1) + text[end:], format="turtle")
    results = check_vocabulary(vocab, Graph().parse(SAMPLE))
    assert {r.rule.id for r in results if not r.passed} == {rule}
    assert [f.focus for r in results for f in r.failures] == ["https://w3id.org/planlod/def#count"]


def _both_ways(graph: Graph) -> tuple[Conformance, Conformance]:
    """check_graph (the specification's queries on Oxigraph) and check_index (the large path's, in Python)."""
    return check_graph(graph), check_index(Facts(graph).out)


@pytest.mark.parametrize("rule", ["none", *sorted(BREAKS), "all"])
def test_the_large_paths_checks_give_the_queries_results_on_every_fixture(rule: str) -> None:
    """The same rules, failures (focus and message) and order: cube_index.py transcribes each query."""
    graph = Graph().parse(SAMPLE)
    for update in BREAKS.values() if rule == "all" else [BREAKS[rule]] if rule in BREAKS else []:
        graph.update(PREAMBLE + update)
    by_queries, by_index = _both_ways(graph)
    assert by_index == by_queries
    failed = {r.rule.id for r in by_index.failed}
    assert failed == {rule} if rule in BREAKS else failed == set() if rule == "none" else len(failed) > 15


def test_the_large_paths_checks_give_the_queries_results_on_the_bundled_reports() -> None:
    for report in build_reports(find_sources(BUNDLED_DATA)):
        assert check_index(Facts(report.graph).out) == report.conformance


NORMALIZED = PREAMBLE + """
<x/dsd> a qb:DataStructureDefinition ; qb:sliceKey <x/key> ;
    qb:component [ qb:dimension <x/year> ], [ qb:dimension <x/area> ; qb:componentAttachment qb:Slice ],
        [ qb:measure planlod:count ], [ qb:attribute <x/unit> ; qb:componentRequired true ;
                                        qb:componentAttachment qb:DataSet ] .
<x/year> rdfs:range xsd:gYear . <x/area> rdfs:range xsd:string . <x/unit> a qb:AttributeProperty .
<x/key> a qb:SliceKey ; qb:componentProperty <x/area> .
<x/ds> a qb:DataSet ; qb:structure <x/dsd> ; <x/unit> "件" ; qb:slice <x/north> .
<x/north> qb:sliceStructure <x/key> ; <x/area> "north" ; qb:observation <x/o1>, <x/o2> .
<x/o1> qb:dataSet <x/ds> ; <x/year> "2020"^^xsd:gYear ; planlod:count 3 .
<x/o2> qb:dataSet <x/ds> ; <x/year> "2021"^^xsd:gYear ; planlod:count 4 .
"""


def test_the_large_paths_checks_normalize_as_the_specification_says() -> None:
    """A unit given once for the data set, an area once for the slice (§10.2's second phase): the observations
    have both, so IC-11 (all dimensions) and IC-13 (required attributes) hold both ways; IC-12 then tells the
    two years apart."""
    by_queries, by_index = _both_ways(Graph().parse(data=NORMALIZED, format="turtle"))
    assert by_index == by_queries
    assert not {"qb:IC-11", "qb:IC-12", "qb:IC-13"} & {r.rule.id for r in by_index.failed}


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_the_large_paths_checks_give_the_queries_results_on_damaged_graphs(data: st.DataObject) -> None:
    """Triples of the sample dropped, and objects moved between its triples (types, components, code lists,
    labels and broader links broken in every way at once): both ways still find the same."""
    triples = sorted(Graph().parse(SAMPLE))
    graph = Graph()
    dropped = data.draw(st.sets(st.integers(0, len(triples) - 1), max_size=len(triples) // 10))
    for n, triple in enumerate(triples):
        if n not in dropped:
            graph.add(triple)
    for _ in range(data.draw(st.integers(0, 8))):
        s, p, _o = triples[data.draw(st.integers(0, len(triples) - 1))]
        graph.add((s, p, triples[data.draw(st.integers(0, len(triples) - 1))][2]))
    by_queries, by_index = _both_ways(graph)
    assert by_index == by_queries


def test_a_csv_that_breaks_its_metadata_trips_csvw(site: Path, tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    for name in ("151076-vision-3-fy2020.csv", "151076-vision-3-fy2020.csv-metadata.json"):
        shutil.copy(site / "data" / name, tmp_path / "data" / name)
    assert check_csvw(tmp_path).passed
    csv_path = tmp_path / "data" / "151076-vision-3-fy2020.csv"
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index("covid")] = "maybe"  # the metadata says true|false
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    result = check_csvw(tmp_path)
    assert not result.passed and result.failures[0].focus == "data/151076-vision-3-fy2020.csv-metadata.json"
    assert "Invalid column value: maybe" in result.failures[0].message


def test_json_ld_with_a_remote_context_or_broken_page_script_trips_its_rule(tmp_path: Path) -> None:
    (tmp_path / "a.jsonld").write_text('{"@context": {"name": "http://schema.org/name"}, "@id": "https://x.example/a", '
                                       '"name": "a"}', encoding="utf-8")
    (tmp_path / "p.html").write_text('<script type="application/ld+json">{"@id": "https://x.example/a", '
                                     '"https://schema.org/name": "a"}</script>', encoding="utf-8")
    assert all(r.passed for r in check_jsonld(tmp_path))
    (tmp_path / "b.jsonld").write_text('{"@context": "https://example.org/context.jsonld", "name": "b"}',
                                       encoding="utf-8")
    (tmp_path / "q.html").write_text('<script type="application/ld+json">{"@id": </script>', encoding="utf-8")
    documents, embedded = check_jsonld(tmp_path)
    assert [f.focus for f in documents.failures] == ["b.jsonld"]
    assert "remote document refused" in documents.failures[0].message or documents.failures[0].message
    assert [f.focus for f in embedded.failures] == ["q.html#script-1"]


def test_the_conformance_report_is_published_and_catalogued(site: Path) -> None:
    earl = Graph().parse(site / "conformance-report.ttl")
    outcome = URIRef("http://www.w3.org/ns/earl#outcome")
    outcomes = [str(o).rsplit("#", 1)[1] for o in earl.objects(None, outcome)]
    assert len(outcomes) == 4 * 33 + 3 and set(outcomes) == {"passed"}
    assert "qb:IC-12" in (site / "conformance.html").read_text(encoding="utf-8")
    catalog = Graph().parse(site / "catalog.ttl")
    validation = URIRef("https://w3id.org/planlod/id/dataset/validation")
    downloads = sorted(str(catalog.value(d, URIRef("http://www.w3.org/ns/dcat#downloadURL"))).rsplit("/", 1)[1]
                       for d in catalog.objects(validation, URIRef("http://www.w3.org/ns/dcat#distribution")))
    assert downloads == ["conformance-report.ttl", "validation-report.ttl"]


def test_validate_runs_the_conformance_checks(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    graph = Graph().parse(SAMPLE)
    graph.update(PREAMBLE + BREAKS["qb:IC-12"])
    broken.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(SAMPLE), "--report", str(tmp_path / "ok.ttl")])
    assert result.exit_code == 0 and "33 of 33 rules hold" in result.stdout
    result = CliRunner().invoke(main, ["validate", str(broken), "--report", str(tmp_path / "r.ttl")])
    assert result.exit_code == 1 and "qb:IC-12 No duplicate observations" in result.stdout
    as_jsonld = tmp_path / "sample.jsonld"
    as_jsonld.write_text(serialize_graph(Graph().parse(SAMPLE), JSON_LD), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(as_jsonld), "--report", str(tmp_path / "j.ttl")])
    assert result.exit_code == 0 and "34 of 34 rules hold" in result.stdout  # and it expands (pyld)
