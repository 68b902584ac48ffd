"""A shapes graph compiled once into plain checks: the SHACL Core components planlod's shapes use, and
SHACL-SPARQL SELECT constraints.

Why compile: pySHACL walks the shapes graph for every focus node and parses each SPARQL constraint again
for every one of them (a 10-row Kawasaki report with 1,016 declared figures took 56 s). Compiled, each
component is a small function over a report's triples, and each SPARQL constraint is one query over all
its focus nodes. A shape using anything not listed here is refused when compiled (never skipped), so
every constraint of a shapes file is checked or the build stops.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from ..errors import PlanlodError
from ..vocab import shared_term
from .facts import Facts
from .reads import predicates_read

# A check: (facts, focus node, value nodes) -> the failing value nodes (None where the result has no value).
# Lists, not generators: a check runs for every focus node and mostly finds nothing (generators cost more).
Test = Callable[[Facts, Node, list[Node]], list[Node | None]]


@dataclass(frozen=True, slots=True)
class Check:
    component: URIRef      # sh:MinCountConstraintComponent, …
    test: Test
    message: Literal | None = None   # said where the shape has no sh:message (DCAT-AP's shapes have few)


@dataclass(frozen=True, slots=True)
class SparqlCheck:
    node: Node             # the sh:sparql node (its messages)
    query: str             # the SELECT with the shape's targets joined in, prefixes declared
    messages: tuple[Literal, ...]
    reads: frozenset[URIRef] | None = None   # the predicates whose triples it can see; None: any (reads.py)


@dataclass(frozen=True)
class Shape:
    node: Node             # the shape in the shapes graph
    path: Node | None      # property shapes: a predicate, or the node of an inverse path (sh:inversePath p)
    severity: URIRef
    messages: tuple[Literal, ...]
    checks: tuple[Check, ...]
    properties: tuple[Shape, ...]
    sparql: tuple[SparqlCheck, ...] = ()
    target_classes: tuple[URIRef, ...] = ()
    target_objects_of: tuple[URIRef, ...] = ()
    inverse_of: URIRef | None = None   # the predicate of an inverse path

    def values(self, facts: Facts, focus: Node) -> list[Node]:
        if self.path is None:
            return [focus]
        if self.inverse_of is not None:
            return facts.subjects(focus, self.inverse_of)
        return facts.objects(focus, self.path)

    def conforms(self, facts: Facts, focus: Node) -> bool:
        """Whether `focus` conforms (for sh:or, sh:xone and qualified value shapes): no result at all."""
        values = self.values(facts, focus)
        if any(c.test(facts, focus, values) for c in self.checks):
            return False
        # As in validation (_run): a property shape's own property shapes apply to each of its values.
        nodes = [focus] if self.path is None else values
        return all(p.conforms(facts, n) for p in self.properties for n in nodes)


# The parameters a shape may carry that are not constraints.
STRUCTURE = {RDF.type, SH.path, SH.message, SH.severity, SH.targetClass, SH.targetObjectsOf, SH.property, SH.sparql,
             SH.name, SH.description, SH.order, SH.group, SH.deactivated, RDFS.label, RDFS.comment}
PARAMETERS = {SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.nodeKind, SH.pattern, SH.flags, SH.languageIn,
              SH.uniqueLang, SH["in"], SH["or"], SH.xone, SH.qualifiedValueShape, SH.qualifiedMinCount,
              SH.qualifiedMaxCount, SH.node, SH.hasValue}
# Terms of the sh: namespace that SHACL does not define, so no engine checks them: DCAT-AP 3.0.1 writes
# `sh:shape` five times (meaning sh:node; pySHACL ignores it too, and the results must be the same).
NOT_SHACL = {URIRef(f"{SH}shape")}
NODE_KINDS = {SH.IRI: (URIRef,), SH.BlankNode: (BNode,), SH.Literal: (Literal,), SH.BlankNodeOrIRI: (BNode, URIRef),
              SH.BlankNodeOrLiteral: (BNode, Literal), SH.IRIOrLiteral: (URIRef, Literal)}
# Lexical forms, for the datatypes whose ill-typed literals a check must catch.
LEXICAL = {XSD.boolean: r"true|false|1|0", XSD.integer: r"[+-]?[0-9]+", XSD.nonNegativeInteger: r"\+?[0-9]+|-0+",
           XSD.positiveInteger: r"\+?0*[1-9][0-9]*", XSD.decimal: r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)",
           XSD.date: r"-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?",
           XSD.gYear: r"-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?", XSD.hexBinary: r"([0-9a-fA-F]{2})*"}


class Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self.compiled: dict[Node, Shape] = {}
        self.compiling: set[Node] = set()

    def fail(self, shape: Node, what: str) -> PlanlodError:
        name = shape.n3(self.g.namespace_manager) if isinstance(shape, URIRef) else "a blank shape"
        return PlanlodError(f"{name} uses {what}, which planlod's SHACL engine does not check",
                            hint="check these shapes with pySHACL (planlod validate --engine pyshacl)")

    def list_of(self, node: Node) -> list[Node]:
        return list(Collection(self.g, node))

    def shape(self, node: Node) -> Shape:
        if node in self.compiled:
            return self.compiled[node]
        if node in self.compiling:   # SHACL leaves recursive shapes undefined
            raise self.fail(node, "a shape that refers to itself (sh:node, sh:or, …)")
        self.compiling.add(node)
        g = self.g
        if (node, RDF.type, RDFS.Class) in g or (node, RDF.type, OWL.Class) in g:
            raise self.fail(node, "implicit class targets (a shape that is also a class)")
        if (node, SH.deactivated, Literal(True)) in g:
            shape = self.compiled[node] = Shape(node, None, SH.Violation, (), (), ())
            return shape
        for p in set(g.predicates(node)):
            if p not in STRUCTURE and p not in PARAMETERS and p not in NOT_SHACL:
                raise self.fail(node, p.n3(g.namespace_manager))
        paths = list(g.objects(node, SH.path))
        if len(paths) > 1:
            raise self.fail(node, "two paths")
        path = shared_term(paths[0]) if paths else None
        inverse_of = shared_term(self.g.value(path, SH.inversePath)) if isinstance(path, BNode) else None
        if path is not None and not isinstance(path, URIRef) and not (
                isinstance(inverse_of, URIRef) and set(self.g.predicates(path)) == {SH.inversePath}):
            raise self.fail(node, "a path other than one predicate or its inverse")
        checks = [c for p in sorted(PARAMETERS, key=str) for c in self.checks_of(node, p)]
        properties = tuple(self.shape(p) for p in sorted(g.objects(node, SH.property), key=str))
        if path is not None and (node, SH.sparql, None) in g:
            raise self.fail(node, "SPARQL constraints on a property shape")
        sparql = tuple(self.sparql(node, s) for s in sorted(g.objects(node, SH.sparql), key=str))
        shape = Shape(node, path, g.value(node, SH.severity) or SH.Violation,  # type: ignore[arg-type]
                      tuple(sorted((m for m in g.objects(node, SH.message) if isinstance(m, Literal)), key=str)),
                      tuple(checks), properties, sparql,
                      tuple(sorted(shared_term(c) for c in g.objects(node, SH.targetClass) if isinstance(c, URIRef))),
                      tuple(sorted(shared_term(c) for c in g.objects(node, SH.targetObjectsOf)
                                   if isinstance(c, URIRef))),
                      inverse_of if isinstance(inverse_of, URIRef) else None)
        self.compiled[node] = shape
        return shape

    def nested(self, node: Node) -> Shape:
        """A shape a value must conform to (sh:node, sh:or, …): only its core constraints are read then."""
        shape = self.shape(node)
        if shape.sparql or any(p.sparql for p in shape.properties):
            raise self.fail(node, "SPARQL constraints in a shape that sh:node, sh:or, sh:xone or a qualified "
                                  "value shape uses")
        return shape

    def checks_of(self, node: Node, parameter: URIRef) -> Iterator[Check]:
        """A check for each value of the parameter: two sh:class values are two constraints, both checked."""
        if parameter in (SH.flags, SH.qualifiedMinCount, SH.qualifiedMaxCount):
            return  # read with sh:pattern and sh:qualifiedValueShape
        for value in sorted(self.g.objects(node, parameter), key=str):
            said = str(value) if isinstance(value, Literal) else \
                value.n3(self.g.namespace_manager) if isinstance(value, URIRef) else "a shape"
            if parameter in (SH["in"], SH["or"], SH.xone, SH.languageIn):
                said = "(" + " ".join(v.n3(self.g.namespace_manager) if not isinstance(v, BNode) else "a shape"
                                      for v in self.list_of(value)) + ")"
            message = Literal(f"does not satisfy {parameter.n3(self.g.namespace_manager)} {said}", lang="en")
            for check in self.checks_for(node, parameter, value):
                yield replace(check, message=message)

    def checks_for(self, node: Node, parameter: URIRef, value: Node) -> Iterator[Check]:
        name = parameter.split("#")[-1]
        component = URIRef(f"{SH}{name[0].upper()}{name[1:]}ConstraintComponent")
        if parameter == SH.minCount:
            yield Check(component, _min_count(int(str(value))))
        elif parameter == SH.maxCount:
            yield Check(component, _max_count(int(str(value))))
        elif parameter == SH.datatype:
            yield Check(component, _datatype(shared_term(value)))  # type: ignore[arg-type]
        elif parameter == SH["class"]:
            yield Check(component, _class(shared_term(value)))  # type: ignore[arg-type]
        elif parameter == SH.nodeKind:
            yield Check(component, _node_kind(NODE_KINDS[value]))  # type: ignore[index]
        elif parameter == SH.pattern:
            flags = str(self.g.value(node, SH.flags) or "")
            yield Check(component, _pattern(re.compile(str(value), re.IGNORECASE if "i" in flags else 0)))
        elif parameter == SH.languageIn:
            yield Check(component, _language_in(tuple(str(t).lower() for t in self.list_of(value))))
        elif parameter == SH.uniqueLang:
            if isinstance(value, Literal) and value.toPython() is True:
                yield Check(component, _unique_lang)
        elif parameter == SH["in"]:
            yield Check(component, _in(frozenset(shared_term(v) for v in self.list_of(value))))
        elif parameter == SH["or"]:
            yield Check(component, _or(tuple(self.nested(s) for s in self.list_of(value))))
        elif parameter == SH.xone:
            yield Check(component, _xone(tuple(self.nested(s) for s in self.list_of(value))))
        elif parameter == SH.node:
            yield Check(component, _node(self.nested(value)))
        elif parameter == SH.hasValue:
            yield Check(component, _has_value(shared_term(value)))
        elif parameter == SH.qualifiedValueShape:  # (sh:qualifiedValueShapesDisjoint is refused in shape())
            qualified = self.nested(value)
            for bound, component in ((SH.qualifiedMinCount, SH.QualifiedMinCountConstraintComponent),
                                     (SH.qualifiedMaxCount, SH.QualifiedMaxCountConstraintComponent)):
                limit = self.g.value(node, bound)
                if limit is not None:
                    yield Check(component, _qualified(qualified, int(str(limit)), bound == SH.qualifiedMinCount))

    def sparql(self, shape: Node, node: Node) -> SparqlCheck:
        select = self.g.value(node, SH.select)
        if select is None:
            raise self.fail(shape, "a SPARQL constraint without sh:select")
        text = str(select)
        brace = text.find("{")
        if brace < 0 or "EXISTS" in text[:brace].upper() or "$PATH" in text:
            raise self.fail(shape, "a SELECT whose WHERE clause cannot be found")
        targets = self.target_pattern(shape)
        query = self.prefixes(node) + text[: brace + 1] + f"\n{{ SELECT DISTINCT ?this WHERE {{ {targets} }} }}\n" \
            + text[brace + 1:]
        messages = tuple(sorted((m for m in self.g.objects(node, SH.message) if isinstance(m, Literal)), key=str))
        return SparqlCheck(node, query, messages, predicates_read(query))

    def target_pattern(self, shape: Node) -> str:
        classes = sorted(str(c) for c in self.g.objects(shape, SH.targetClass))
        parts = [f"{{ ?this a/<{RDFS.subClassOf}>* <{c}> }}" for c in classes]
        parts += [f"{{ [] <{p}> ?this }}" for p in sorted(str(p) for p in self.g.objects(shape, SH.targetObjectsOf))]
        if not parts:
            raise self.fail(shape, "a SPARQL constraint without sh:targetClass or sh:targetObjectsOf")
        return " UNION ".join(parts)

    def prefixes(self, node: Node) -> str:
        lines = []
        for holder in self.g.objects(node, SH.prefixes):
            for declared in self.g.objects(holder, SH.declare):
                lines.append(f"PREFIX {self.g.value(declared, SH.prefix)}: <{self.g.value(declared, SH.namespace)}>")
        return "".join(line + "\n" for line in sorted(set(lines)))


def compile_shapes(shapes: Graph) -> tuple[Shape, ...]:
    """The shapes with targets (those validation starts from), each with what it holds compiled."""
    compiler = Compiler(shapes)
    targeted = {s for p in (SH.targetClass, SH.targetObjectsOf) for s in shapes.subjects(p, None)}
    for p in (SH.targetNode, SH.targetSubjectsOf):
        for s in shapes.subjects(p, None):
            raise compiler.fail(s, p.n3(shapes.namespace_manager))
    for cls in (RDFS.Class, OWL.Class):
        for s in shapes.subjects(RDF.type, cls):
            if (s, RDF.type, SH.NodeShape) in shapes or (s, SH.property, None) in shapes:
                raise compiler.fail(s, "implicit class targets (a shape that is also a class)")
    return tuple(compiler.shape(s) for s in sorted(targeted, key=str))


def _min_count(n: int) -> Test:
    def test(facts: Facts, focus: Node, values: list[Node]) -> list[Node | None]:
        return [None] if len(values) < n else []
    return test


def _max_count(n: int) -> Test:
    def test(facts: Facts, focus: Node, values: list[Node]) -> list[Node | None]:
        return [None] if len(values) > n else []
    return test


def _datatype(datatype: URIRef) -> Test:
    lexical = re.compile(LEXICAL[datatype]) if datatype in LEXICAL else None

    language_tagged = datatype == RDF.langString

    def ok(v: Node) -> bool:
        if not isinstance(v, Literal):
            return False
        if language_tagged:
            return bool(v.language)
        given = v.datatype or (None if v.language else XSD.string)
        if given is not datatype and given != datatype:   # `is` first: rdflib's == is Python code
            return False
        return lexical is None or lexical.fullmatch(str(v)) is not None

    def test(facts: Facts, focus: Node, values: list[Node]) -> list[Node | None]:
        return [v for v in values if not ok(v)]
    return test


def _class(cls: URIRef) -> Test:
    def test(facts: Facts, focus: Node, values: list[Node]) -> list[Node | None]:
        return [v for v in values if isinstance(v, Literal) or cls not in facts.classes(v)]
    return test


def _node_kind(kinds: tuple[type, ...]) -> Test:
    def test(facts: Facts, focus: Node, values: list[Node]) -> list[Node | None]:
        return [v for v in values if not isinstance(v, kinds)]
    return test


def _pattern(pattern: re.Pattern[str]) -> Test:
    def test(facts: Facts, focus: Node, values: list[Node]) -> list[Node | None]:
        return [v for v in values if isinstance(v, BNode) or pattern.search(str(v)) is None]
    return test


def _language_in(tags: tuple[str, ...]) -> Test:
    def ok(v: Node) -> bool:
        lang = v.language.lower() if isinstance(v, Literal) and v.language else None
        return lang is not None and any(lang == t or lang.startswith(t + "-") or t == "*" for t in tags)

    def test(facts: Facts, focus: Node, values: list[Node]) -> list[Node | None]:
        return [v for v in values if not ok(v)]
    return test


def _unique_lang(facts: Facts, focus: Node, values: list[Node]) -> list[Node | None]:
    seen: set[str] = set()
    duplicated: list[str] = []
    for v in values:
        if isinstance(v, Literal) and v.language:
            lang = v.language.lower()
            if lang in seen and lang not in duplicated:
                duplicated.append(lang)
            seen.add(lang)
    return [None for _ in duplicated]


def _in(allowed: frozenset[Node]) -> Test:
    def test(facts: Facts, focus: Node, values: list[Node]) -> list[Node | None]:
        return [v for v in values if v not in allowed]
    return test


def _or(shapes: tuple[Shape, ...]) -> Test:
    def test(facts: Facts, focus: Node, values: list[Node]) -> list[Node | None]:
        return [v for v in values if not any(s.conforms(facts, v) for s in shapes)]
    return test


def _xone(shapes: tuple[Shape, ...]) -> Test:
    def test(facts: Facts, focus: Node, values: list[Node]) -> list[Node | None]:
        return [v for v in values if sum(s.conforms(facts, v) for s in shapes) != 1]
    return test


def _node(shape: Shape) -> Test:
    def test(facts: Facts, focus: Node, values: list[Node]) -> list[Node | None]:
        return [v for v in values if not shape.conforms(facts, v)]
    return test


def _has_value(value: Node) -> Test:
    def test(facts: Facts, focus: Node, values: list[Node]) -> list[Node | None]:
        return [] if value in values else [None]
    return test


def _qualified(shape: Shape, limit: int, at_least: bool) -> Test:
    def test(facts: Facts, focus: Node, values: list[Node]) -> list[Node | None]:
        n = sum(shape.conforms(facts, v) for v in values)
        return [None] if ((n < limit) if at_least else (n > limit)) else []
    return test
