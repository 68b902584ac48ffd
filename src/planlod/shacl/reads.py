"""Which predicates a SPARQL query can read: so a report's SHACL-SPARQL constraints run on a store of only the
triples they can see (about half of a report's triples: 51% of a synthetic collection's lines, which halved
that store's load).

Decided on the parsed query (rdflib's algebra), never on its text. A query's solutions depend only on the
triples its patterns can match: those whose predicate is named in a triple pattern or property path. The query
may read any triple (None) where a predicate is a variable, a path is negated (`!p` matches other predicates),
a zero-length path (`p*`, `p?`) has no IRI or literal at either end (it matches every node of the graph, whatever
its predicates), or the query names a graph or a service.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue


class _ReadsAny(Exception):
    pass


def predicates_read(query: str) -> frozenset[URIRef] | None:
    """The predicates whose triples can change the query's solutions; None if it may read any triple."""
    found: set[URIRef] = set()
    try:
        algebra = translateQuery(parseQuery(query)).algebra
    except Exception:  # rdflib's parser may refuse what Oxigraph runs: then the query is given every triple
        return None
    try:
        _walk(algebra, found)
    except _ReadsAny:
        return None
    return frozenset(found)


def sparql_reads(queries: Iterable[frozenset[URIRef] | None]) -> frozenset[URIRef] | None:
    """What several queries read together (each query's predicates_read)."""
    found: set[URIRef] = set()
    for reads in queries:
        if reads is None:
            return None
        found |= reads
    return frozenset(found)


def _walk(node: object, found: set[URIRef]) -> None:
    if isinstance(node, CompValue):
        if node.name in ("Graph", "GraphGraphPattern", "ServiceGraphPattern", "SERVICE"):
            raise _ReadsAny
        for key, value in node.items():
            if key == "triples":
                _triples(value, found)
            else:
                _walk(value, found)
    elif isinstance(node, (list, tuple)):
        for item in node:
            _walk(item, found)
    elif isinstance(node, dict):
        for value in node.values():
            _walk(value, found)


def _triples(triples: Iterable[object], found: set[URIRef]) -> None:
    # translated BGPs hold (s, p, o) tuples; patterns inside FILTER EXISTS keep the parser's flat lists
    flat: list[object] = []
    for item in triples:
        flat.extend(item) if isinstance(item, (list, tuple)) else flat.append(item)
    if len(flat) % 3:
        raise _ReadsAny
    for i in range(0, len(flat), 3):
        s, p, o = flat[i:i + 3]
        _path(p, found)
        if not isinstance(s, (URIRef, Literal)) and not isinstance(o, (URIRef, Literal)) and _zero_length(p):
            raise _ReadsAny


def _path(p: object, found: set[URIRef]) -> None:
    if isinstance(p, URIRef):
        found.add(p)
    elif isinstance(p, (SequencePath, AlternativePath)):
        for arg in p.args:
            _path(arg, found)
    elif isinstance(p, MulPath):
        _path(p.path, found)
    elif isinstance(p, InvPath):
        _path(p.arg, found)
    else:   # a variable, a negated path, anything else: it may match any predicate
        raise _ReadsAny


def _zero_length(p: object) -> bool:
    if isinstance(p, MulPath):
        return p.zero
    if isinstance(p, SequencePath):
        return all(_zero_length(a) for a in p.args)
    if isinstance(p, AlternativePath):
        return any(_zero_length(a) for a in p.args)
    if isinstance(p, InvPath):
        return _zero_length(p.arg)
    return False


__all__ = ["predicates_read", "sparql_reads"]
