"""SHACL: every shape has a conforming sample and a failing one that trips that very constraint."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from planlod.bundled import SHAPES_PATH, VOCAB_PATH
from planlod.cli import main
from planlod.errors import PlanlodError
from planlod.validate import load_shapes, validate_graph

from .conftest import HERE

VALID_SAMPLE = HERE / "cases" / "graph" / "small" / "expected.ttl"
INVALID = sorted((HERE / "shapes" / "invalid").glob("*.ru"))
PREAMBLE = """BASE <https://w3id.org/planlod/id/>
PREFIX planlod: <https://w3id.org/planlod/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def node_shapes(shapes: Graph) -> list[str]:
    names = [shapes.namespace_manager.normalizeUri(s) for s in shapes.subjects(RDF.type, SH.NodeShape)
             if isinstance(s, URIRef)]
    return sorted(names)


def test_the_valid_sample_conforms_without_any_result(shapes: Graph) -> None:
    outcome = validate_graph(Graph().parse(VALID_SAMPLE), shapes)
    assert outcome.conforms and outcome.issues == (), outcome.text()


def test_every_shape_has_focus_nodes_in_the_valid_sample(shapes: Graph) -> None:
    data = Graph().parse(VALID_SAMPLE)
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        focus: set[object] = set()
        for cls in shapes.objects(shape, SH.targetClass):
            focus |= set(data.subjects(RDF.type, cls))
        for prop in shapes.objects(shape, SH.targetObjectsOf):
            focus |= set(data.objects(None, prop))
        assert focus, f"{shape} has no focus node in the valid sample"


def test_every_shape_has_a_failing_sample(shapes: Graph) -> None:
    covered = {p.name.split("--")[0] for p in INVALID}
    assert {n.split(":")[1] for n in node_shapes(shapes)} == covered


@pytest.mark.parametrize("sample", INVALID, ids=lambda p: p.stem)
def test_failing_sample_trips_its_constraint(sample: Path, shapes: Graph) -> None:
    text = sample.read_text(encoding="utf-8")
    header = re.match(r"# constraint: (\S+) severity: (\S+)", text)
    assert header, "the sample's first line names the constraint component and severity"
    component, severity = header.groups()
    shape = "plsh:" + sample.name.split("--")[0]
    data = Graph().parse(VALID_SAMPLE)
    before = set(data)
    data.update(PREAMBLE + text)
    assert set(data) != before, "the update changed nothing"
    outcome = validate_graph(data, shapes)
    hits = [i for i in outcome.issues if i.shape.split()[0] == shape]
    assert (component, severity) in [(i.constraint, i.severity) for i in hits], outcome.text()
    assert outcome.conforms == (severity != "Violation")
    assert all(i.message and i.focus for i in hits)


def test_messages_in_japanese_and_english(shapes: Graph) -> None:
    for message_holder in set(shapes.subjects(SH.message, None)):
        langs = {m.language for m in shapes.objects(message_holder, SH.message)}
        assert {"ja", "en"} <= langs, message_holder


def test_nothing_specific_to_one_ward() -> None:
    for path in (SHAPES_PATH, VOCAB_PATH):
        text = path.read_text(encoding="utf-8")
        for word in ("西区", "Nishi", "新潟", "Niigata", "151076", "151009"):
            assert word not in text, (path.name, word)


def test_bad_shapes_cannot_run(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix planlod: <https://w3id.org/planlod/def#> ."
                   "<x> a sh:NodeShape ; sh:targetClass planlod:Plan ; sh:property <y> ."
                   "<y> sh:path <p1>, <p2> ; sh:minCount 1 .", encoding="utf-8")
    with pytest.raises(PlanlodError):
        validate_graph(Graph().parse(VALID_SAMPLE), load_shapes(bad))


# ---- planlod validate ---------------------------------------------------------------------------
def test_validate_bundled_data_conforms(tmp_path: Path) -> None:
    report = tmp_path / "report.ttl"
    result = CliRunner().invoke(main, ["validate", "--report", str(report)])
    assert result.exit_code == 0 and result.stdout.startswith("Conforms.")
    assert "plsh:MissingActualShape" in result.stdout                # reported as a warning, grouped by shape
    assert (None, RDF.type, SH.ValidationReport) in Graph().parse(report)


def test_validate_reports_an_edit_that_breaks_a_constraint(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    text = VALID_SAMPLE.read_text(encoding="utf-8")
    anchor = ('<https://w3id.org/planlod/id/report/141305/test-plan/fy2020/declared/by-goal/I/achieved> a '
              'qb:Observation,\n        planlod:DeclaredCount ;\n')
    start = text.index(anchor)
    end = text.index(" .\n", start)
    block = text[start:end]
    assert 'planlod:count "2"^^xsd:nonNegativeInteger' in block
    broken.write_text(text[:start] + block.replace('planlod:count "2"', 'planlod:count "4"') + text[end:],
                      encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(broken), "--report", str(tmp_path / "r.ttl")])
    assert result.exit_code == 1
    assert "Violation: plsh:DeclaredCountTallyShape (1)" in result.stdout
    assert "declared/by-goal/I/achieved" in result.stdout and "4" in result.stdout


def test_validate_cannot_read_bad_turtle(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(bad), "--report", str(tmp_path / "r.ttl")])
    assert result.exit_code == 2 and f"Error: {bad}: not valid Turtle" in result.stderr
    assert not (tmp_path / "r.ttl").exists()
