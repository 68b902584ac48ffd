"""planlod's compiled SHACL engine finds what pySHACL finds: same focus nodes, paths, values, messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph
from rdflib.namespace import RDF, SH, SKOS

from planlod.bundled import BUNDLED_SOURCE
from planlod.errors import PlanlodError
from planlod.graph import build_graph
from planlod.pipeline import read_progress_table
from planlod.shacl import compile_shapes
from planlod.shacl.shapes import PARAMETERS
from planlod.validate import Outcome, load_shapes, validate_graph

from .test_validate import INVALID, PREAMBLE, VALID_SAMPLE


def differences(data: Graph) -> tuple[Outcome, list[str]]:
    compiled, reference = validate_graph(data), validate_graph(data, engine="pyshacl")
    found = [f"only planlod: {i}" for i in compiled.issues if i not in reference.issues]
    found += [f"only pySHACL: {i}" for i in reference.issues if i not in compiled.issues]
    if not found and compiled.issues != reference.issues:
        found.append("the same findings, listed differently")
    assert compiled.conforms == reference.conforms
    return compiled, found


def test_every_planted_fault_is_found_as_pyshacl_finds_it() -> None:
    """One fault per shape, all in one data set: the two engines give the same list of findings."""
    data = Graph().parse(VALID_SAMPLE)
    for sample in INVALID:
        data.update(PREAMBLE + sample.read_text(encoding="utf-8"))
    outcome, found = differences(data)
    assert found == []
    shapes = {i.shape.split()[0] for i in outcome.issues}
    assert {"plsh:" + p.name.split("--")[0] for p in INVALID} <= shapes   # every planted fault is among them


def test_the_bundled_report_gives_pyshacls_findings() -> None:
    outcome, found = differences(build_graph(read_progress_table(BUNDLED_SOURCE)))
    assert found == [] and outcome.conforms
    assert {i.shape for i in outcome.issues} == {"plsh:MissingActualShape planlod:actual", "plsh:UnmetEvaluationShape",
                                                 "plsh:ActivityNameShape skos:prefLabel"}


def test_every_constraint_says_what_is_wrong_in_both_languages() -> None:
    """A result's message is the shape's own, never an engine's default (the engines word those apart)."""
    shapes = load_shapes()
    in_lists = {n for _, p, n in shapes.triples((None, None, None)) if p == RDF.first}
    qualified = set(shapes.objects(None, SH.qualifiedValueShape))
    for holder in set(shapes.subjects()):
        if holder in in_lists or holder in qualified or not any(p in PARAMETERS for p in shapes.predicates(holder)):
            continue
        langs = {m.language for m in shapes.objects(holder, SH.message)}
        assert {"ja", "en"} <= langs, holder
    for constraint in shapes.objects(None, SH.sparql):
        assert {m.language for m in shapes.objects(constraint, SH.message)} >= {"ja", "en"}


def test_a_deactivated_shape_finds_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shapes.ttl"
    path.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<x> sh:targetClass skos:Concept ; sh:deactivated true ; sh:property [ sh:path <p> ; sh:minCount 1 ] .
<y> sh:targetClass skos:Concept ; sh:property [ sh:path <q> ; sh:minCount 1 ] .
""", encoding="utf-8")
    outcome = validate_graph(Graph().parse(VALID_SAMPLE), load_shapes(path))
    assert outcome.issues and {i.shape.split()[0] for i in outcome.issues} == {"<file://" + str(tmp_path / "y") + ">"}


def test_the_report_names_every_result_and_is_stable() -> None:
    data = Graph().parse(VALID_SAMPLE)
    data.update(PREAMBLE + INVALID[0].read_text(encoding="utf-8"))
    first, second = validate_graph(data).report, validate_graph(data).report
    assert not any(isinstance(t, BNode) for triple in first for t in triple)
    assert first.serialize(format="nt") == second.serialize(format="nt")
    assert len(list(first.objects(None, SH.result))) == len(validate_graph(data).issues)


def test_a_huge_report_is_checked_alike_in_an_on_disk_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above IN_MEMORY_BYTES the SPARQL constraints run on a store on disk beside the dump, removed after."""
    import tempfile

    import planlod.ntriples
    from planlod.ntriples import write_ntriples
    from planlod.validate import validate_triples

    data = Graph().parse(VALID_SAMPLE)
    for sample in INVALID:
        data.update(PREAMBLE + sample.read_text(encoding="utf-8"))
    write_ntriples(data, tmp_path / "report.nt")
    in_memory = validate_triples(data, ntriples=tmp_path / "report.nt")
    folders: list[str] = []

    class Recorded(tempfile.TemporaryDirectory):  # type: ignore[type-arg]
        def __enter__(self) -> str:
            folders.append(super().__enter__())
            return folders[-1]

    monkeypatch.setattr(planlod.ntriples, "IN_MEMORY_BYTES", 0)
    monkeypatch.setattr(tempfile, "TemporaryDirectory", Recorded)
    on_disk = validate_triples(data, ntriples=tmp_path / "report.nt")
    assert [Path(f).parent for f in folders] == [tmp_path]
    assert on_disk.issues == in_memory.issues and any(i.constraint == "sh:SPARQLConstraintComponent"
                                                      for i in on_disk.issues)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.nt"]


def test_the_sparql_constraints_find_the_same_on_the_triples_they_read_alone(tmp_path: Path) -> None:
    """Their store holds only the triples of the predicates they read (shacl/reads.py): every planted fault is
    found as on all the triples; without one of those predicates, a fault is missed (so the test can fail)."""
    from planlod.bundled import SHAPES_PATH
    from planlod.ntriples import write_ntriples
    from planlod.shacl import compiled, reads_of
    from planlod.validate import validate_triples

    data = Graph().parse(VALID_SAMPLE)
    for sample in INVALID:
        data.update(PREAMBLE + sample.read_text(encoding="utf-8"))
    reads = reads_of(compiled(SHAPES_PATH).shapes)
    assert reads is not None and RDF.type in reads and SKOS.prefLabel not in reads
    written = write_ntriples(data, tmp_path / "report.nt", copy_predicates=frozenset(p.n3() for p in reads))
    assert isinstance(written.copy, bytes) and 0 < len(written.copy) < written.byte_size * 3 // 4
    sparql = "sh:SPARQLConstraintComponent"
    everything = validate_triples(data, ntriples=tmp_path / "report.nt")
    assert validate_triples(data, ntriples=written.copy).issues == everything.issues
    assert validate_triples(data).issues == everything.issues   # the store made from the index, as read
    short = b"".join(line for line in written.copy.splitlines(keepends=True) if b"#scope>" not in line)
    assert [i for i in validate_triples(data, ntriples=short).issues if i.constraint == sparql] != \
        [i for i in everything.issues if i.constraint == sparql]


@pytest.mark.parametrize("query, reads", [
    ("SELECT $this WHERE { $this <urn:a>/(<urn:b>|^<urn:c>)+ ?x FILTER NOT EXISTS { ?x <urn:d> [] } }",
     {"urn:a", "urn:b", "urn:c", "urn:d"}),
    ("SELECT * WHERE { ?s a/<urn:sub>* <urn:C> OPTIONAL { ?s <urn:e>? 1 } MINUS { ?s <urn:f> ?o } }",
     {str(RDF.type), "urn:sub", "urn:e", "urn:f"}),
    ("SELECT * WHERE { { SELECT ?s WHERE { ?s <urn:g> [ <urn:h> ?x ] } } }", {"urn:g", "urn:h"}),
    ("SELECT * WHERE { ?s ?p ?o }", None),                          # a variable predicate
    ("SELECT * WHERE { ?s !<urn:a> ?o }", None),                    # a negated path matches other predicates
    ("SELECT * WHERE { ?s <urn:a>* ?o }", None),                    # zero-length: every node of the graph
    ("SELECT * WHERE { [] <urn:a>? ?o }", None),
    ("SELECT * WHERE { GRAPH ?g { ?s <urn:a> ?o } }", None),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s <urn:a> ?o } }", None),
    ("SELECT * WHERE { ?s <urn:a> ?o", None),                       # rdflib cannot parse it: any triple
])
def test_which_predicates_a_query_reads(query: str, reads: set[str] | None) -> None:
    from planlod.shacl.reads import predicates_read

    found = predicates_read(query)
    assert (None if found is None else {str(p) for p in found}) == reads


@pytest.mark.parametrize("shape, what", [
    ("<x> sh:targetClass <C> ; sh:equals <p> .", "sh:equals"),
    ("<x> sh:targetClass <C> ; sh:node <y> . <y> sh:node <x> .", "refers to itself"),
    ("<x> sh:targetNode <n> ; sh:minCount 1 .", "sh:targetNode"),
    ("<x> a <http://www.w3.org/2000/01/rdf-schema#Class> ; sh:property [ sh:path <p> ; sh:minCount 1 ] .",
     "implicit class targets"),
    ("<x> sh:targetClass <C> ; sh:property [ sh:path ( <p> <q> ) ; sh:minCount 1 ] .", "a path other than one"),
    ("<x> sh:targetClass <C> ; sh:property [ sh:path <p> ; sh:sparql [ sh:select 'SELECT $this WHERE {}' ] ] .",
     "SPARQL constraints on a property shape"),
])
def test_what_the_engine_cannot_check_is_refused_not_skipped(shape: str, what: str, tmp_path: Path) -> None:
    path = tmp_path / "shapes.ttl"
    path.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n" + shape, encoding="utf-8")
    with pytest.raises(PlanlodError, match=what) as raised:
        compile_shapes(load_shapes(path))
    assert raised.value.hint and "pySHACL" in raised.value.hint


def test_data_the_sparql_constraints_cannot_load_is_refused_with_a_hint() -> None:
    """rdflib keeps an IRI with a space; N-Triples cannot carry it: a clear refusal, not a crash."""
    from rdflib import URIRef

    from planlod.vocab import PLANLOD

    data = Graph()
    data.add((URIRef("https://example.org/an evaluation"), RDF.type, PLANLOD.Evaluation))
    with pytest.raises(PlanlodError, match="cannot be checked") as raised:
        validate_graph(data)
    assert raised.value.hint and "percent-encode" in raised.value.hint


def test_every_value_of_a_parameter_is_a_constraint(tmp_path: Path) -> None:
    """Two sh:class values on one shape are two constraints: the second is not dropped."""
    path = tmp_path / "shapes.ttl"
    path.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<x> sh:targetClass skos:ConceptScheme ; sh:class skos:ConceptScheme , <https://example.org/Missing> ;
    sh:message "二つのクラス"@ja , "two classes"@en .
""", encoding="utf-8")
    data = Graph().parse(VALID_SAMPLE)
    compiled = validate_graph(data, load_shapes(path))
    assert compiled.issues and {i.constraint for i in compiled.issues} == {"sh:ClassConstraintComponent"}
    assert compiled.issues == validate_graph(data, load_shapes(path), engine="pyshacl").issues


CATALOG_FAULTS = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix spdx: <http://spdx.org/rdf/terms#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://example.org/untitled> a dcat:Dataset ; dct:description "no title"@en ;
    dct:language <https://example.org/not-an-eu-language> ;
    dcat:distribution <https://example.org/d> .
<https://example.org/d> a dcat:Distribution ; dcat:accessURL "not an IRI" ;
    spdx:checksum <https://example.org/sum> .
<https://example.org/sum> a spdx:Checksum ; spdx:algorithm <https://example.org/md4> ;
    spdx:checksumValue "00" .
<https://example.org/not-an-eu-language> skos:inScheme <https://example.org/languages> .
<https://example.org/not-a-dataset> dcat:inSeries <https://w3id.org/planlod/id/dataset-series/151076-vision-3> .
"""


def test_the_catalog_is_checked_under_dcat_ap_as_pyshacl_checks_it() -> None:
    """DCAT-AP 3.0.1's shapes (sh:node, sh:hasValue, an inverse path, sh:or) on the bundled catalog and on planted
    faults: the compiled engine finds what pySHACL finds, and says what each finding breaks where the shape
    is silent (pySHACL words its own messages)."""
    from planlod.bundled import DCAT_AP_SHAPES

    shapes = load_shapes(*DCAT_AP_SHAPES)
    catalog = Graph().parse(Path(__file__).parent.parent / "site" / "catalog.ttl")
    for data in (catalog, catalog + Graph().parse(data=CATALOG_FAULTS, format="turtle")):
        compiled, reference = validate_graph(data, shapes), validate_graph(data, shapes, engine="pyshacl")

        def findings(outcome: Outcome) -> set[tuple[str, ...]]:
            return {(i.severity, i.shape, i.focus, i.path, i.value, i.constraint) for i in outcome.issues}
        assert findings(compiled) == findings(reference) and compiled.conforms == reference.conforms
        assert all(i.message for i in compiled.issues)
    assert not compiled.conforms
    planted = {(i.focus.rsplit("/", 1)[-1], i.path, i.constraint) for i in compiled.issues
               if i.focus.startswith("https://example.org/") or "[" in i.path}
    assert {("untitled", "dct:title", "sh:MinCountConstraintComponent"),
            ("untitled", "dct:language", "sh:NodeConstraintComponent"),
            ("d", "dcat:accessURL", "sh:NodeKindConstraintComponent"),
            ("sum", "spdx:algorithm", "sh:NodeConstraintComponent")} <= planted
    assert any(i.constraint == "sh:ClassConstraintComponent" and i.value.endswith("not-a-dataset>")
               for i in compiled.issues)   # the inverse path dcat:inSeries of the series


def test_compiled_shapes_hold_the_mappings_own_term_objects() -> None:
    """A shape's path, target class and sh:class are the very objects the mapping puts in its triples, so that
    a report's index finds them by identity (an equal, distinct URIRef costs rdflib's Python __eq__); terms of
    other namespaces are kept as they are, and every term stays equal to what the shapes say."""
    from rdflib import URIRef

    from planlod.bundled import SHAPES_PATH
    from planlod.shacl import compiled
    from planlod.vocab import PLANLOD, shared_term

    def walk(shapes: tuple) -> list:  # type: ignore[type-arg]
        return [s for shape in shapes for s in (shape, *walk(shape.properties))]

    every = walk(compiled(SHAPES_PATH).shapes)
    paths = {s.path for s in every if s.path is not None}
    assert SKOS.notation in paths and PLANLOD.activity in paths
    assert next(p for p in paths if p == SKOS.notation) is SKOS.notation
    assert next(p for p in paths if p == PLANLOD.activity) is PLANLOD.activity
    targets = {c for s in every for c in s.target_classes}
    assert next(c for c in targets if c == PLANLOD.Evaluation) is PLANLOD.Evaluation
    shapes_graph = load_shapes(SHAPES_PATH)
    for term in {t for triple in shapes_graph for t in triple if isinstance(t, URIRef)}:
        assert shared_term(term) == term
    other = URIRef("http://example.org/not-a-vocabulary#term")
    undefined = URIRef(f"{SKOS}notAnySkosTerm")
    assert shared_term(other) is other and shared_term(undefined) is undefined
