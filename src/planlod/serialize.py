"""Deterministic serializations: the same graph gives the same bytes in every format."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import NamespaceManager, split_uri
from rdflib.term import _is_valid_uri

from .bundled import CONTEXT_PATH
from .formats import RdfFormat
from .turtle import turtle_text


@cache
def jsonld_context() -> dict[str, Any]:
    context: dict[str, Any] = json.loads(CONTEXT_PATH.read_text(encoding="utf-8"))["@context"]
    return context


def sorted_json(value: Any) -> Any:
    """Sort what JSON-LD leaves unordered (node arrays, set-valued properties) so bytes are stable."""
    if isinstance(value, dict):
        return {k: sorted_json(v) if k != "@context" else v for k, v in value.items()}
    if isinstance(value, list):
        items = [sorted_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


class QNames(NamespaceManager):
    """rdflib's prefixed names, found in time proportional to the IRI, not to the namespaces seen so far.

    rdflib's NamespaceManager.compute_qname keeps every namespace it has split off an IRI in a trie and, for each
    new IRI, scans the children of that IRI's namespace one by one (with a Python-level str.startswith): a catalog
    of 1,918 reports, whose datasets and files have namespaces of their own under the site's, took 24.5 s in
    Turtle, its validation report 14.7 s (5.1 s and 7.6 s here). The same computation with the trie as a set: the
    longest namespace known (bound, or split off an earlier IRI) that begins the IRI and is longer than its own
    split; the same prefixed names in the same order of calls (tests/test_serialize.py compares the two on
    random IRIs)."""

    def __init__(self, graph: Graph) -> None:
        self._known: set[str] = set()
        self._qnames: dict[str, tuple[str, URIRef, str]] = {}
        # IRIs whose namespace has no prefix, asked without generating one: rdflib's Turtle serializer asks so
        # for every IRI of every triple (a catalog of 1,918 reports: 519,000 such splits, ~15% of its Turtle).
        # The answer stays "no prefix" until a namespace is bound (bind() forgets them).
        self._unprefixed: set[str] = set()
        super().__init__(graph, bind_namespaces="none")
        self._known.update(str(namespace) for _, namespace in self.namespaces())   # as NamespaceManager.reset()

    def bind(self, prefix: str | None, namespace: Any, override: bool = True, replace: bool = False) -> None:
        super().bind(prefix, namespace, override=override, replace=replace)
        self._known.add(str(namespace))
        self._unprefixed.clear()

    def compute_qname(self, uri: str, generate: bool = True) -> tuple[str, URIRef, str]:
        found = self._qnames.get(uri)
        if found is not None:
            return found
        if not generate and uri in self._unprefixed:
            raise KeyError(f"No known prefix for {uri} and generate=False")
        if not _is_valid_uri(uri):
            raise ValueError(f'"{uri}" does not look like a valid URI, cannot serialize this. '
                             "Did you want to urlencode it?")
        text = str(uri)
        try:
            namespace, name = split_uri(text)
        except ValueError:
            namespace, name = text, ""
            if not self.store.prefix(URIRef(namespace)):
                raise
        namespace = str(namespace)
        self._known.add(namespace)
        for end in range(len(text), len(namespace), -1):
            if text[:end] in self._known:
                namespace, name = text[:end], text[end:]
                break
        prefix = self.store.prefix(URIRef(namespace))
        if prefix is None:
            if not generate:
                self._unprefixed.add(uri)
                raise KeyError(f"No known prefix for {namespace} and generate=False")
            num = 1
            while self.store.namespace(f"ns{num}"):
                num += 1
            prefix = f"ns{num}"
            self.bind(prefix, namespace)
        found = self._qnames[uri] = (prefix, URIRef(namespace), name)
        return found


def serialize_graph(graph: Graph, rdf_format: RdfFormat) -> str:
    if rdf_format.name == "nt":
        # Split on "\n" only: N-Triples ends each triple with it, while U+2028, U+0085 or a form feed
        # inside a literal are data (str.splitlines() would cut triples apart).
        lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").split("\n")
        return "".join(line + "\n" for line in sorted(set(lines)) if line.strip())
    if rdf_format.name == "json-ld":
        text = graph.serialize(format="json-ld", context=jsonld_context(), auto_compact=True)
        return json.dumps(sorted_json(json.loads(text)), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if rdf_format.name == "turtle":
        turtle = turtle_text(graph, QNames(graph), graph.store)
        return turtle if turtle is not None else rdflib_turtle(graph)
    return graph.serialize(format=rdf_format.name)


def rdflib_turtle(graph: Graph) -> str:
    """rdflib's Turtle serializer (with QNames' lookups): for what planlod.turtle declines to write."""
    manager = graph.namespace_manager
    graph.namespace_manager = QNames(graph)   # its bindings are the store's: only the lookups change
    try:
        return graph.serialize(format="turtle")
    finally:
        graph.namespace_manager = manager
