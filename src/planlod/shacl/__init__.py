"""planlod's SHACL engine: the shapes compiled once (shapes.py), run over one report's triples.

Core components run in Python over an index of the report (facts.py); SHACL-SPARQL constraints run as
one query each on an in-memory Oxigraph store of the report, with the shape's targets joined into the
query (the same solutions as pre-binding $this to each focus node, in one evaluation). The result is a
sh:ValidationReport like pySHACL's, its results named by IRIs made from their content, so the same data
gives the same report bytes without canonicalizing blank nodes. tests/test_shacl.py holds it to
pySHACL's findings on the bundled reports and on planted faults, one per shape.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from .facts import Facts, Triple
from .reads import sparql_reads
from .shapes import Shape, SparqlCheck, compile_shapes

REPORT_BASE = "urn:planlod:validation:"
_NONE: list[Node] = []   # no values (never changed: the checks only read it)


@dataclass(frozen=True, slots=True)
class Result:
    focus: Node
    path: Node | None
    value: Node | None
    shape: Node
    component: URIRef
    severity: URIRef
    messages: tuple[Literal, ...]

    def __reduce__(self) -> tuple[type[Result], tuple[object, ...]]:
        # pickled by its fields: compiled by mypyc, a frozen dataclass cannot be restored field by field
        return (Result, (self.focus, self.path, self.value, self.shape, self.component, self.severity, self.messages))


@dataclass(frozen=True)
class CompiledShapes:
    graph: Graph             # the shapes graph (names of shapes in issues)
    shapes: tuple[Shape, ...]


@cache
def compiled(*paths: Path) -> CompiledShapes:
    """The shapes files parsed and compiled once per process."""
    from ..validate import load_shapes

    graph = load_shapes(*paths)
    return CompiledShapes(graph, compile_shapes(graph))


def check_triples(facts: Facts, shapes: Iterable[Shape], ntriples: bytes | Path | None = None) -> Iterator[Result]:
    """Every result of every shape on the data; SPARQL constraints on an Oxigraph store of `ntriples` (at least
    the triples of the predicates they read: `reads_of(shapes)`), or of the facts they read."""
    shapes = tuple(shapes)
    with ExitStack() as cleanup:
        store: list[object] = []
        for shape in shapes:
            focus_nodes = sorted({*(n for c in shape.target_classes for n in facts.instances(c)),
                                  *(n for p in shape.target_objects_of for n in facts.objects_of(p))}, key=str)
            found: list[Result] = []
            for focus in focus_nodes:
                _run(shape, facts, focus, found)
            yield from found
            if shape.sparql and focus_nodes:
                if not store:
                    store.append(_store(facts, ntriples, cleanup, reads_of(shapes)))
                    cleanup.callback(store.clear)  # an on-disk store is closed before its folder goes (LIFO)
                for check in shape.sparql:
                    yield from _run_sparql(store[0], shape, check)


def _run(shape: Shape, facts: Facts, focus: Node, found: list[Result]) -> None:
    # Called for every focus node and property shape (~50 times a row): the common case, one predicate,
    # looked up here rather than through Shape.values and Facts.objects (~8% of the core checks' time).
    path = shape.path
    if path is None:
        values = [focus]
    elif shape.inverse_of is None:
        by_predicate = facts.out.get(focus)
        values = by_predicate.get(path, _NONE) if by_predicate else _NONE
    else:
        values = shape.values(facts, focus)
    for check in shape.checks:
        failing = check.test(facts, focus, values)
        if failing:
            for value in failing:
                found.append(Result(focus, path, value, shape.node, check.component, shape.severity,
                                    shape.messages or ((check.message,) if check.message is not None else ())))
    for prop in shape.properties:   # a node shape's values are [focus]; a property shape's, its objects
        for node in values:
            _run(prop, facts, node, found)


def reads_of(shapes: Iterable[Shape]) -> frozenset[URIRef] | None:
    """The predicates the shapes' SPARQL constraints can see (None: any), so that their store holds only those
    triples: about half of a report's, which halved the store's load (a seventh of a worker's time)."""
    return sparql_reads(check.reads for shape in shapes for check in shape.sparql)


def _store(facts: Facts, ntriples: bytes | Path | None, cleanup: ExitStack,
           reads: frozenset[URIRef] | None) -> object:
    """In memory; for a report of more than IN_MEMORY_BYTES of N-Triples, on disk beside them, so that a huge
    report's store does not grow the worker by ~12 kB a row."""
    import pyoxigraph as ox

    from ..errors import PlanlodError
    from ..ntriples import IN_MEMORY_BYTES, bulk_load

    try:
        if ntriples is None:
            from rdflib.plugins.serializers.nt import _nt_row

            text = "".join(_nt_row((s, p, o)) for s, by_p in facts.out.items() for p, objects in by_p.items()
                           if reads is None or p in reads for o in objects).encode("utf-8")
            store = ox.Store()
            store.bulk_load(text, format=ox.RdfFormat.N_TRIPLES)   # checked: rdflib's text may not be N-Triples
        # Given by the caller: written by ntriples.write_ntriples, which refused any IRI N-Triples cannot carry,
        # so read unchecked (lenient: ~0.6 µs a triple less). In memory, `load` (one transaction) rather than
        # `bulk_load`, which sizes its buffers for batches of a million triples: 18.1 against 21.5 µs a row
        # measured alone, half the page faults in a worker (its whole CPU within the noise, 3 runs each).
        elif isinstance(ntriples, bytes):
            store = ox.Store()
            store.load(ntriples, format=ox.RdfFormat.N_TRIPLES, lenient=True)
        elif ntriples.stat().st_size <= IN_MEMORY_BYTES:
            store = ox.Store()
            store.load(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES, lenient=True)
        else:
            folder = cleanup.enter_context(tempfile.TemporaryDirectory(prefix=".validate-", dir=ntriples.parent))
            store = ox.Store(folder)
            bulk_load(store, ntriples, lenient=True)
    except Exception as err:  # rdflib accepted a term RDF does not (an IRI with a space, …); both raise so
        raise PlanlodError(f"the data cannot be checked by the SPARQL constraints: {err}",
                           hint="IRIs must be valid RFC 3987 IRIs (percent-encode spaces)") from None
    return store


def rdflib_term(term: object) -> Node:
    """An Oxigraph term as rdflib's (a plain literal for xsd:string, as rdflib parses it)."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    assert isinstance(term, ox.Literal)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=None if term.datatype.value == str(XSD.string) else URIRef(term.datatype.value))


def _run_sparql(store: object, shape: Shape, check: SparqlCheck) -> Iterator[Result]:
    solutions = store.query(check.query)  # type: ignore[attr-defined]
    names = [v.value for v in solutions.variables]
    for solution in solutions:
        bound = {n: rdflib_term(solution[n]) for n in names if solution[n] is not None}
        messages = []
        for message in check.messages or shape.messages:
            text = str(message)
            for name, term in bound.items():
                text = text.replace("{?" + name + "}", str(term)).replace("{$" + name + "}", str(term))
            messages.append(Literal(text, lang=message.language))
        # SHACL 5.3.2: without a ?value, a node shape's result has the focus node as its value.
        value: Node | None = bound.get("value", bound["this"] if shape.path is None else None)
        yield Result(bound["this"], bound.get("path", shape.path), value, shape.node,
                     SH.SPARQLConstraintComponent, shape.severity, tuple(messages))


def report_graph(results: Iterable[Result], shapes: Graph, base: str = REPORT_BASE) -> Graph:
    """A sh:ValidationReport of the results, each result an IRI made from what it says.

    A blank property shape is published as the node shape holding it (with the result's path): the
    report holds no blank nodes."""
    graph = Graph(store="SimpleMemory")   # no named graphs: a third less time to add and read
    graph.bind("sh", SH)
    report = URIRef(base + "report")
    graph.add((report, RDF.type, SH.ValidationReport))
    conforms = True
    for r in results:
        conforms = conforms and r.severity != SH.Violation
        key = "\x1f".join(x.n3() if x is not None else "" for x in
                          (r.focus, r.path, r.value, r.shape if isinstance(r.shape, URIRef) else None, r.component,
                           r.severity, *sorted(r.messages, key=str)))
        node = URIRef(base + "result/" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32])
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, r.focus))
        graph.add((node, SH.resultSeverity, r.severity))
        graph.add((node, SH.sourceConstraintComponent, r.component))
        source = r.shape if isinstance(r.shape, URIRef) else shapes.value(None, SH.property, r.shape)
        if isinstance(source, URIRef):
            graph.add((node, SH.sourceShape, source))
        if r.path is not None:
            graph.add((node, SH.resultPath, r.path))
        if r.value is not None:
            graph.add((node, SH.value, r.value))
        for message in r.messages:
            graph.add((node, SH.resultMessage, message))
    graph.add((report, SH.conforms, Literal(conforms)))
    return graph


__all__ = ["REPORT_BASE", "CompiledShapes", "Facts", "Result", "Triple", "check_triples", "compile_shapes", "compiled",
           "rdflib_term", "reads_of", "report_graph"]
