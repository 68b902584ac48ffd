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
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

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


class Unwritable(Exception):
    """Raised by TurtleDocument where rdflib would write something this module does not (the module's docstring)."""


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
                raise Unwritable(prefix)   # rdflib would rename the prefix
            self.used[prefix] = str(namespace)
            found = f"{prefix}:{local}"
        self._pnames[uri] = found
        return found

    def iri(self, node: URIRef) -> str:
        uri = str(node)
        written = self._iris.get(uri)
        if written is None:
            if uri == _NIL:
                raise Unwritable(uri)   # rdflib writes rdf:nil as ()
            # n3() refuses an IRI with characters Turtle cannot carry, as rdflib's serializer does
            written = self._iris[uri] = self.pname(node) or node.n3()
        return written

    def term(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return self.iri(node)
        if isinstance(node, Literal):
            return node._literal_n3(use_plain=True, qname_callback=self.pname)
        raise Unwritable(node)


def _plain_order(literal: Node) -> tuple[bool, str, str]:
    """rdflib's order of literals without a datatype: untagged first, then by language, then by text."""
    assert isinstance(literal, Literal)
    return literal.language is not None, literal.language or "", str(literal)


class TurtleDocument:
    """rdflib's Turtle for a set of triples given a subject at a time: each `add` holds every triple of the
    subjects it brings (none of them brought before), whose blocks are written at once into `blocks` (a list, or
    FileBlocks on disk for a large document); the order of subjects, which needs every reference, comes at the end
    (`chunks`). The prefixed names are asked for in rdflib's order (subject, predicate, object or its datatype,
    triple by triple): which namespace an IRI falls in can depend on the IRIs split before it."""

    def __init__(self, names: _Names, prefixes: _Prefixes, blocks: Blocks | None = None) -> None:
        self._writer = _Writer(names, prefixes)
        self._blocks: Blocks = blocks if blocks is not None else _InMemory()
        self._placed: dict[str, object] = {}      # each subject's block, by the subject's IRI
        self._references: dict[str, int] = {}
        self._top: set[str] = set()

    def add(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Every triple (a set: no repeats) of some subjects not added before; raises Unwritable."""
        writer = self._writer
        by_subject: dict[str, dict[str, list[Node]]] = {}
        terms: dict[str, URIRef] = {}   # the subjects' and predicates' terms, by their text
        references = self._references
        for s, p, o in triples:
            if not isinstance(s, URIRef) or not isinstance(p, URIRef):
                raise Unwritable(s)
            subject, predicate = str(s), str(p)
            by_subject.setdefault(subject, {}).setdefault(predicate, []).append(o)
            terms[subject], terms[predicate] = s, p
            writer.pname(s)
            if predicate != _TYPE and writer.pname(p) is None:
                raise Unwritable(p)   # rdflib would generate a prefix (ns1, …) for it
            if isinstance(o, URIRef):
                obj = str(o)
                references[obj] = references.get(obj, 0) + 1
                writer.iri(o)
                if predicate == _TYPE and obj == _CLASS:
                    self._top.add(subject)
            elif isinstance(o, Literal):
                if o.datatype is not None:
                    writer.pname(o.datatype)
            else:
                raise Unwritable(o)
        for subject, props in by_subject.items():
            if subject in self._placed:
                raise ValueError(f"{subject} was added before: a subject's triples come in one add")
            self._placed[subject] = self._blocks.put(_block(writer, terms[subject], props, terms))

    def chunks(self) -> Iterator[str]:
        """The document: the prefixes used, then each subject's block (those typed rdfs:Class first, then by
        how often each is an object, then by IRI)."""
        tops = self._top
        rest = sorted((self._references.get(s, 0), s) for s in self._placed if s not in tops)
        yield "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in sorted(self._writer.used.items()))
        for subject in [*sorted(tops), *(s for _, s in rest)]:
            yield self._blocks.get(self._placed[subject])
        yield "\n"


class Blocks(Protocol):
    """Where a document's blocks wait for their order: put gives a handle, get the text back."""

    def put(self, text: str) -> object: ...

    def get(self, handle: object) -> str: ...


class _InMemory:
    def __init__(self) -> None:
        self._texts: list[str] = []

    def put(self, text: str) -> object:
        self._texts.append(text)
        return len(self._texts) - 1

    def get(self, handle: object) -> str:
        assert isinstance(handle, int)
        return self._texts[handle]


class FileBlocks:
    """Blocks put into a file and read back where they were put: a large document's wait on disk for their order."""

    def __init__(self, path: Path) -> None:
        self._file: BinaryIO = path.open("w+b")
        self._end = 0

    def put(self, text: str) -> tuple[int, int]:
        data = text.encode("utf-8", "surrogatepass")
        self._file.write(data)
        self._end += len(data)
        return self._end - len(data), len(data)

    def get(self, handle: object) -> str:
        assert isinstance(handle, tuple)
        offset, size = handle
        self._file.seek(offset)
        return self._file.read(size).decode("utf-8", "surrogatepass")   # puts come before gets

    def close(self) -> None:
        self._file.close()


def turtle_text(triples: Iterable[tuple[Node, Node, Node]], names: _Names, prefixes: _Prefixes) -> str | None:
    """The Turtle rdflib writes for these triples (a set: no repeats) with these prefixes, or None when
    rdflib would write something this module does not (see the module's docstring)."""
    document = TurtleDocument(names, prefixes)
    try:
        document.add(triples)
    except Unwritable:
        return None
    # rdflib encodes with "replace" and decodes: what UTF-8 cannot carry (a lone surrogate) becomes "?".
    return "".join(document.chunks()).encode("utf-8", "replace").decode("utf-8")


def _block(writer: _Writer, subject: URIRef, props: dict[str, list[Node]], terms: dict[str, URIRef]) -> str:
    """One subject's triples as rdflib writes them: rdf:type, then rdfs:label, then the other predicates sorted;
    each predicate's objects sorted."""
    out = ["\n" + writer.iri(subject)]
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
                    raise Unwritable(objects)
        out.append(" " + writer.term(objects[0]))
        for obj in objects[1:]:
            out.append(",\n        " + writer.term(obj))
    out.append(" .\n")
    return "".join(out)


__all__ = ["Blocks", "FileBlocks", "TurtleDocument", "Unwritable", "turtle_text"]
