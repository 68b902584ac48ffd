"""rdflib's Turtle, byte for byte, written in one pass over the triples of a graph without blank nodes.

rdflib's TurtleSerializer asks its store for each subject's triples, and for the prefixed name of every
term twice (once to choose the prefixes, once to write): for the catalog of 1,918 reports (224,635 triples)
that took 5.6-7.7 s of the catalog's ~27 s, and for the validation report of 1,000,000 evaluations ~24 s.
Without blank nodes nothing nests, so the document is: the prefixes used, sorted; then each subject (those
typed rdfs:Class first, then by how often each is an object, then by IRI), its predicates (rdf:type, then
rdfs:label, then sorted) and their sorted objects, each term written as rdflib writes it. What this module
does not write as rdflib would (a blank node, rdf:nil, a predicate that would need a generated prefix, a
prefix starting with "_", objects rdflib's order does not tell apart) makes `turtle_text` answer None, and the
caller asks rdflib (tests/test_turtle.py compares the two on the bundled site's files and on random graphs).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

# Turtle's local names: "%" not followed by two hex digits is escaped, as are parentheses (rdflib's get_pname).
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_TYPE, _CLASS, _NIL = str(RDF.type), str(RDFS.Class), str(RDF.nil)
_FIRST_PREDICATES = (_TYPE, str(RDFS.label))


class _Names(Protocol):
    """What rdflib's serializer asks of a graph for prefixed names (planlod.serialize.QNames answers it)."""

    def compute_qname(self, uri: str, generate: bool = True) -> tuple[str, URIRef, str]: ...


class _Prefixes(Protocol):
    def prefix(self, namespace: URIRef) -> str | None: ...


class _Unwritable(Exception):
    """Something rdflib writes in a way this module does not repeat: the caller asks rdflib."""


class _Writer:
    """The names rdflib would write, each IRI's worked out once (keys are plain strings: an rdflib term as a
    dict key costs a Python-level __eq__ on every hit)."""

    def __init__(self, names: _Names, prefixes: _Prefixes) -> None:
        self._names = names
        self._prefixes = prefixes
        self._pnames: dict[str, str | None] = {}
        self._iris: dict[str, str] = {}
        self.used: dict[str, str] = {}

    def pname(self, node: URIRef) -> str | None:
        """rdflib's get_pname(node, gen_prefix=False): the prefixed name, or None to write <node>."""
        uri = str(node)
        if uri in self._pnames:
            return self._pnames[uri]
        found: str | None = None
        try:
            prefix, namespace, local = self._names.compute_qname(node, generate=False)
        except Exception:  # rdflib's get_pname catches all: then the IRI may be a namespace itself
            bound = self._prefixes.prefix(node)
            if bound is None:
                self._pnames[uri] = None
                return None
            prefix, namespace, local = bound, node, ""
        local = _PERCENT.sub("\\%", local.replace("(", r"\(").replace(")", r"\)"))
        if not local.endswith("."):   # a prefixed name cannot end with "."
            if prefix.startswith("_") or self.used.get(prefix, str(namespace)) != str(namespace):
                raise _Unwritable(prefix)   # rdflib would rename the prefix
            self.used[prefix] = str(namespace)
            found = f"{prefix}:{local}"
        self._pnames[uri] = found
        return found

    def iri(self, node: URIRef) -> str:
        uri = str(node)
        written = self._iris.get(uri)
        if written is None:
            if uri == _NIL:
                raise _Unwritable(uri)   # rdflib writes rdf:nil as ()
            # n3() refuses an IRI with characters Turtle cannot carry, as rdflib's serializer does
            written = self._iris[uri] = self.pname(node) or node.n3()
        return written

    def term(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return self.iri(node)
        if isinstance(node, Literal):
            return node._literal_n3(use_plain=True, qname_callback=self.pname)
        raise _Unwritable(node)


def _plain_order(literal: Node) -> tuple[bool, str, str]:
    """rdflib's order of literals without a datatype: untagged first, then by language, then by text."""
    assert isinstance(literal, Literal)
    return literal.language is not None, literal.language or "", str(literal)


def turtle_text(triples: Iterable[tuple[Node, Node, Node]], names: _Names, prefixes: _Prefixes) -> str | None:
    """The Turtle rdflib writes for these triples (a set: no repeats) with these prefixes, or None when
    rdflib would write something this module does not (see the module's docstring). The prefixed names
    are asked for in rdflib's order (subject, predicate, object or its datatype, triple by triple): which
    namespace an IRI falls in can depend on the IRIs split before it."""
    writer = _Writer(names, prefixes)
    by_subject: dict[str, dict[str, list[Node]]] = {}
    terms: dict[str, URIRef] = {}   # the subjects' and predicates' terms, by their text
    references: dict[str, int] = {}
    top: list[str] = []
    try:
        for s, p, o in triples:
            if not isinstance(s, URIRef) or not isinstance(p, URIRef):
                raise _Unwritable(s)
            subject, predicate = str(s), str(p)
            by_subject.setdefault(subject, {}).setdefault(predicate, []).append(o)
            terms[subject], terms[predicate] = s, p
            writer.pname(s)
            if predicate != _TYPE and writer.pname(p) is None:
                raise _Unwritable(p)   # rdflib would generate a prefix (ns1, …) for it
            if isinstance(o, URIRef):
                obj = str(o)
                references[obj] = references.get(obj, 0) + 1
                writer.iri(o)
                if predicate == _TYPE and obj == _CLASS:
                    top.append(subject)
            elif isinstance(o, Literal):
                if o.datatype is not None:
                    writer.pname(o.datatype)
            else:
                raise _Unwritable(o)
        return _document(writer, by_subject, terms, references, top)
    except _Unwritable:
        return None


def _document(writer: _Writer, by_subject: dict[str, dict[str, list[Node]]], terms: dict[str, URIRef],
              references: dict[str, int], top: list[str]) -> str:
    tops = set(top)
    rest = sorted((references.get(s, 0), s) for s in by_subject if s not in tops)
    out = [f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in sorted(writer.used.items())]
    for subject in [*sorted(tops), *(s for _, s in rest)]:
        props = by_subject[subject]
        out.append("\n" + writer.iri(terms[subject]))
        order = [p for p in _FIRST_PREDICATES if p in props]
        order += sorted(p for p in props if p not in _FIRST_PREDICATES)
        for i, predicate in enumerate(order):
            out.append(" ;\n    " if i else " ")
            out.append("a" if predicate == _TYPE else writer.iri(terms[predicate]))
            objects = props[predicate]
            if len(objects) > 1:
                # rdflib's order of terms: IRIs before literals, IRIs by their text, literals by rdflib's rules
                if all(isinstance(o, URIRef) for o in objects):
                    objects.sort(key=str)
                elif all(isinstance(o, Literal) and o.datatype is None for o in objects):
                    objects.sort(key=_plain_order)
                else:
                    objects.sort()  # type: ignore[call-arg]   # rdflib's terms order themselves
                    if any(not a < b for a, b in zip(objects, objects[1:], strict=False)):  # type: ignore[operator]
                        # literals equal in value (0 and 0.0): rdflib keeps its store's order, not known here
                        raise _Unwritable(objects)
            out.append(" " + writer.term(objects[0]))
            for obj in objects[1:]:
                out.append(",\n        " + writer.term(obj))
        out.append(" .\n")
    out.append("\n")
    # rdflib encodes with "replace" and decodes: what UTF-8 cannot carry (a lone surrogate) becomes "?".
    return "".join(out).encode("utf-8", "replace").decode("utf-8")


__all__ = ["turtle_text"]
