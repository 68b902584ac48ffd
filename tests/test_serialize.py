"""serialize.py: planlod's prefixed-name lookup gives rdflib's prefixed names, call for call."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager

from planlod.formats import TURTLE
from planlod.serialize import QNames, serialize_graph

# "pre" ends inside a local name: only the longest-namespace search finds it.
BOUND = {"pl": "https://w3id.org/planlod/", "d": "https://w3id.org/planlod/data/", "ex": "http://example.org/a#",
         "pre": "https://w3id.org/planlod/data/9000"}
# Segments that make IRIs share namespaces, split after digits, '#', '-', '.', or not split at all.
SEGMENTS = ["data/", "data", "900010-", "9000", "vision", "3-fy2016", ".nt", "#", "a#", "/", "x", "2020", "_y", "-",
            "."]
STARTS = ["https://w3id.org/planlod/", "http://example.org/", "http://example.org/a#", "urn:x:"]

iris = st.builds(lambda start, parts: start + "".join(parts), st.sampled_from(STARTS),
                 st.lists(st.sampled_from(SEGMENTS), max_size=5))


def outcome(manager: NamespaceManager, iri: str, generate: bool) -> object:
    try:
        return manager.compute_qname(iri, generate=generate)
    except (ValueError, KeyError) as err:
        return type(err)


def graph_with_bindings() -> Graph:
    graph = Graph()
    for prefix, namespace in BOUND.items():
        graph.bind(prefix, namespace)
    return graph


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(iris, st.booleans()), min_size=1, max_size=30))
def test_same_prefixed_names_as_rdflib(calls: list[tuple[str, bool]]) -> None:
    rdflib_manager = graph_with_bindings().namespace_manager
    ours = QNames(graph_with_bindings())
    for iri, generate in calls:
        assert outcome(ours, iri, generate) == outcome(rdflib_manager, iri, generate), iri
    assert sorted(ours.namespaces()) == sorted(rdflib_manager.namespaces())   # the same generated ns1, ns2, …


def test_a_bound_namespace_longer_than_the_split_is_found_as_by_rdflib() -> None:
    iri = "https://w3id.org/planlod/data/900010-vision"   # split after "data/", yet "pre:" is longer
    for manager in (graph_with_bindings().namespace_manager, QNames(graph_with_bindings())):
        assert manager.compute_qname(iri, generate=False) == ("pre", URIRef(BOUND["pre"]), "10-vision")
        assert outcome(manager, "http://example.org/b/c", False) is KeyError
        assert manager.compute_qname("http://example.org/b/c")[0] == "ns1"   # generated, then bound


def test_an_iri_without_a_prefix_gets_one_once_its_namespace_is_bound_by_another() -> None:
    """QNames remembers the IRIs asked without a prefix to generate, until a namespace is bound."""
    iri = "http://example.org/b/c"
    for manager in (graph_with_bindings().namespace_manager, QNames(graph_with_bindings())):
        assert [outcome(manager, iri, False) for _ in range(2)] == [KeyError, KeyError]
        assert manager.compute_qname("http://example.org/b/d")[0] == "ns1"   # binds ns1 to http://example.org/b/
        assert manager.compute_qname(iri, generate=False) == ("ns1", URIRef("http://example.org/b/"), "c")


def test_turtle_bytes_unchanged_and_the_graph_keeps_its_manager() -> None:
    graph = graph_with_bindings()
    for n in range(300):
        subject = URIRef(f"https://w3id.org/planlod/data/{900000 + n}-vision-3-fy2016.nt")
        graph.add((subject, URIRef(f"{BOUND['pl']}size"), Literal(n)))
        graph.add((subject, URIRef(f"http://example.org/a#p{n % 7}"), URIRef(f"{BOUND['d']}x{n}")))
    manager = graph.namespace_manager
    assert serialize_graph(graph, TURTLE) == graph_with_bindings().__iadd__(graph).serialize(format="turtle")
    assert graph.namespace_manager is manager
