"""turtle.py: the Turtle rdflib writes, byte for byte, for graphs without blank nodes; None for the rest."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from planlod.serialize import QNames, rdflib_turtle
from planlod.turtle import turtle_text

from .test_serialize import BOUND, iris

# The bundled site's Turtle files: those planlod serializes, and the vocabulary and shapes it copies (the shapes
# hold blank nodes, which are declined).
SITE_TURTLE = ["catalog.ttl", "void.ttl", "validation-report.ttl", "conformance-report.ttl",
               "data/151076-vision-3-fy2020.ttl", "vocab/planlod.ttl", "shapes/planlod-shapes.ttl"]


def ours(graph: Graph) -> str | None:
    return turtle_text(graph, QNames(graph), graph.store)


@pytest.mark.parametrize("name", SITE_TURTLE)
def test_the_bundled_sites_graphs_as_rdflib_writes_them(site: Path, name: str) -> None:
    graph = Graph().parse(site / name)
    has_blank_nodes = any(isinstance(term, BNode) for triple in graph for term in triple)
    if has_blank_nodes:
        assert ours(graph) is None    # rdflib nests blank nodes: asked of rdflib
    else:
        assert ours(graph) == rdflib_turtle(graph)


def test_the_bundled_site_has_graphs_written_here(site: Path) -> None:
    """Not every graph declined: the catalog, VoID, the reports' data and the validation report are written here."""
    written = [name for name in SITE_TURTLE if ours(Graph().parse(site / name)) is not None]
    assert {"catalog.ttl", "void.ttl", "validation-report.ttl", "data/151076-vision-3-fy2020.ttl"} <= set(written)


NS = "https://w3id.org/planlod/"
PREDICATES = [URIRef(f"{NS}size"), URIRef(f"{NS}data/x"), URIRef("http://example.org/a#p"), RDFS.label,
              RDFS.comment, URIRef("http://example.org/a#q(1)"), URIRef("http://example.org/a#r%2")]
literals = st.one_of(
    st.builds(Literal, st.text(max_size=8), lang=st.sampled_from([None, "ja", "en", "en-GB"])),
    st.builds(Literal, st.integers(-5, 5)), st.builds(Literal, st.booleans()),
    st.builds(lambda n: Literal(Decimal(n) / 4), st.integers(-8, 8)),
    st.builds(Literal, st.floats(allow_nan=False, allow_infinity=False, width=32)),
    st.builds(lambda t: Literal(t, datatype=XSD.string), st.text(max_size=3)),
    st.builds(lambda d: Literal(f"2020-04-{d:02d}", datatype=XSD.date), st.integers(1, 30)),
    st.builds(lambda t: Literal(t, datatype=URIRef("http://example.org/dt")), st.sampled_from(["a", "b"])),
)
# A few subjects again and again: several objects a predicate, subjects referred to by others.
FEW = [URIRef(f"{NS}data/a"), URIRef(f"{NS}data/b"), URIRef("http://example.org/a#s")]
subjects = st.one_of(st.sampled_from(FEW), st.builds(URIRef, iris))
objects = st.one_of(subjects, literals, st.just(RDFS.Class), st.just(URIRef(f"{NS}data/x")))


def bound_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in BOUND.items():
        graph.bind(prefix, namespace)
    graph.bind("rdfs", RDFS)
    graph.bind("xsd", XSD)
    return graph


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(subjects, st.sampled_from([RDF.type, *PREDICATES]), objects), max_size=25))
def test_random_graphs_as_rdflib_writes_them(triples: list[tuple[URIRef, URIRef, URIRef | Literal]]) -> None:
    """IRIs whose namespaces overlap, local names to escape or that end in '.', literals of every kind, several
    objects a predicate (rdflib's order of terms), subjects typed rdfs:Class (written first) or referred to."""
    graph = bound_graph()
    for triple in triples:
        graph.add(triple)
    assert ours(graph) == (None if equal_values(graph) else rdflib_turtle(graph))


def equal_values(graph: Graph) -> bool:
    """Two objects of a predicate that rdflib's order of terms does not tell apart (0 and 0.0, equal in value):
    rdflib writes them in its store's order."""
    return any(a != b and not (a < b or b < a)
               for s, p in set(graph.subject_predicates()) for a in graph.objects(s, p) for b in graph.objects(s, p))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.builds(URIRef, iris), st.sampled_from(["blank", "nil", "unbound"]), literals),
                min_size=1, max_size=5))
def test_what_rdflib_writes_otherwise_is_declined(triples: list[tuple[URIRef, str, Literal]]) -> None:
    """Blank nodes (nested), rdf:nil (written "()") and predicates rdflib would make a prefix for (ns1):
    declined, and serialize_graph asks rdflib."""
    graph = bound_graph()
    for subject, _, literal in triples:
        graph.add((subject, RDFS.label, literal))
    subject, kind, literal = triples[0]
    graph.add({"blank": (subject, RDFS.seeAlso, BNode()), "nil": (subject, RDFS.seeAlso, RDF.nil),
               "unbound": (subject, URIRef("http://example.com/vocab#p"), literal)}[kind])
    assert ours(graph) is None


def test_a_prefix_is_declared_only_when_a_name_uses_it() -> None:
    graph = bound_graph()
    graph.add((URIRef(f"{NS}data/a"), RDF.type, URIRef("http://example.org/a#C")))
    graph.add((URIRef(f"{NS}data/a"), URIRef(f"{NS}size"), Literal(3)))
    text = ours(graph)
    assert text == rdflib_turtle(graph)
    assert text is not None and "@prefix xsd:" in text and "@prefix rdfs:" not in text and "@prefix rdf:" not in text


@settings(max_examples=200, deadline=None)
@given(st.lists(literals, min_size=2, max_size=8))
def test_the_objects_of_a_predicate_in_rdflibs_order(values: list[Literal]) -> None:
    """Literals with and without language tags, of one datatype or several: rdflib's order of terms."""
    graph = bound_graph()
    for value in values:
        graph.add((FEW[0], RDFS.label, value))
        graph.add((FEW[1], RDFS.label, value))
    graph.add((FEW[1], RDFS.label, FEW[0]))
    assert ours(graph) == (None if equal_values(graph) else rdflib_turtle(graph))


def test_literals_without_datatype_by_language_then_text() -> None:
    graph = bound_graph()
    for value in (Literal("b", lang="en"), Literal("a", lang="ja"), Literal("c"), Literal("a", lang="en-gb"),
                  Literal("a")):
        graph.add((FEW[0], RDFS.label, value))
    text = ours(graph)
    assert text == rdflib_turtle(graph)
    assert text is not None and '"a",\n        "c",\n        "b"@en,\n        "a"@en-gb,\n        "a"@ja .' in text


def test_a_prefix_rdflib_would_rename_is_declined() -> None:
    """Turtle's prefixes cannot start with "_": rdflib writes p_… instead."""
    graph = bound_graph()
    graph.bind("_u", "http://example.net/u/")
    graph.add((URIRef("http://example.net/u/a"), RDFS.label, Literal("a")))
    assert ours(graph) is None
    assert "@prefix p_u: <http://example.net/u/> ." in rdflib_turtle(graph)
