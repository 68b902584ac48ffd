"""The vocabulary and the JSON-LD context: parse with independent parsers, every term documented."""

from __future__ import annotations

import json

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from planlod.pipeline import graph_of
from planlod.vocab import PLANLOD, VOCAB_IRI

from .conftest import BUNDLED, ROOT

VOCAB = ROOT / "vocab" / "planlod.ttl"
CONTEXT = ROOT / "vocab" / "context.jsonld"
SHAPES = ROOT / "shapes" / "planlod-shapes.ttl"
NS = VOCAB_IRI + "#"
VANN = "http://purl.org/vocab/vann/"


@pytest.fixture(scope="module")
def vocab() -> Graph:
    return Graph().parse(VOCAB)


@pytest.mark.parametrize("path", [VOCAB, SHAPES], ids=lambda p: p.name)
def test_independent_parsers_agree(path) -> None:  # type: ignore[no-untyped-def]
    rdflib_count = len(Graph().parse(path))
    oxigraph_count = len(set(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)))
    assert rdflib_count == oxigraph_count > 100


def test_ontology_header(vocab: Graph) -> None:
    ontology = URIRef(VOCAB_IRI)
    assert (ontology, RDF.type, OWL.Ontology) in vocab
    assert str(vocab.value(ontology, OWL.versionIRI)).startswith(VOCAB_IRI + "/")
    assert vocab.value(ontology, OWL.versionInfo) is not None
    assert str(vocab.value(ontology, URIRef("http://purl.org/dc/terms/license"))).startswith("https://creativecommons")
    assert vocab.value(ontology, URIRef("http://purl.org/dc/terms/creator")) is not None
    assert str(vocab.value(ontology, URIRef(VANN + "preferredNamespacePrefix"))) == "planlod"
    assert str(vocab.value(ontology, URIRef(VANN + "preferredNamespaceUri"))) == NS
    assert NS.startswith("https://w3id.org/")


def _terms(vocab: Graph) -> list[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.Concept, SKOS.ConceptScheme)
    return sorted({s for k in kinds for s in vocab.subjects(RDF.type, k)
                   if isinstance(s, URIRef) and str(s).startswith(NS)})


def test_every_term_has_japanese_and_english_labels_and_definitions(vocab: Graph) -> None:
    terms = _terms(vocab)
    assert len(terms) > 40
    for term in terms:
        labels = {o.language for o in vocab.objects(term, RDFS.label) if isinstance(o, Literal)}
        labels |= {o.language for o in vocab.objects(term, SKOS.prefLabel) if isinstance(o, Literal)}
        definitions = {o.language for p in (RDFS.comment, SKOS.definition) for o in vocab.objects(term, p)
                       if isinstance(o, Literal)}
        assert {"ja", "en"} <= labels, term
        assert {"ja", "en"} <= definitions, term
        assert (term, RDFS.isDefinedBy, URIRef(VOCAB_IRI)) in vocab, term


def test_python_namespace_matches_the_vocabulary(vocab: Graph) -> None:
    defined = {str(t)[len(NS):] for t in vocab.subjects() if isinstance(t, URIRef) and str(t).startswith(NS)}
    for name in PLANLOD.__annotations__:
        assert name in defined, name


def test_every_planlod_term_the_mapping_emits_is_defined(vocab: Graph) -> None:
    defined = set(vocab.subjects())
    used = {t for triple in graph_of(BUNDLED) for t in triple if isinstance(t, URIRef) and str(t).startswith(NS)}
    assert used and used <= defined, used - defined


def test_context_keys_expand_to_known_terms(vocab: Graph) -> None:
    context = json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("#", "/"))}
    defined = {str(t) for t in vocab.subjects()}
    for key, value in context.items():
        if key.startswith("@") or key in prefixes or key in ("id", "type"):
            continue
        curie = value if isinstance(value, str) else value["@id"]
        prefix, _, local = curie.partition(":")
        assert prefix in prefixes, key
        iri = prefixes[prefix] + local
        if prefix == "planlod":
            assert iri in defined, key


def test_context_round_trips_the_bundled_graph() -> None:
    from rdflib.compare import isomorphic

    from planlod.formats import BY_SUFFIX
    from planlod.serialize import serialize_graph

    graph = graph_of(BUNDLED)
    text = serialize_graph(graph, BY_SUFFIX[".jsonld"])
    document = json.loads(text)
    assert "@context" in document and isinstance(document["@context"], dict)   # inline, not a remote URL
    assert isomorphic(Graph().parse(data=text, format="json-ld"), graph)
    parsed = set(pyoxigraph.parse(text.encode("utf-8"), format=pyoxigraph.RdfFormat.JSON_LD))
    assert len(parsed) == len(graph)
