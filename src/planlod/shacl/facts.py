"""One report's triples, indexed for the compiled checks: objects by subject and predicate, classes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import Literal
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

Triple = tuple[Node, Node, Node]


class Facts:
    """The data graph as plain dictionaries: small per report, built in one pass over its triples."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self.out: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
        self.by_predicate: dict[Node, set[Node]] = defaultdict(set)   # predicate -> its objects
        superclasses: dict[Node, set[Node]] = defaultdict(set)
        for s, p, o in dict.fromkeys(triples):  # a graph is a set: the same triple twice is one
            self.out[s][p].append(o)
            self.by_predicate[p].add(o)
            if p == RDFS.subClassOf:
                superclasses[s].add(o)
        self.superclasses = superclasses
        self._classes: dict[Node, frozenset[Node]] = {}
        self._instances: dict[Node, list[Node]] | None = None

    def objects(self, subject: Node, predicate: Node) -> list[Node]:
        by_predicate = self.out.get(subject)
        return by_predicate.get(predicate, []) if by_predicate else []

    def classes(self, node: Node) -> frozenset[Node]:
        """rdf:type with rdfs:subClassOf* in the data graph, as SHACL's class membership reads it."""
        found = self._classes.get(node)
        if found is None:
            todo, seen = list(self.objects(node, RDF.type)), set()
            while todo:
                cls = todo.pop()
                if cls not in seen:
                    seen.add(cls)
                    todo.extend(self.superclasses.get(cls, ()))
            found = self._classes[node] = frozenset(seen)
        return found

    def instances(self, cls: Node) -> list[Node]:
        if self._instances is None:  # one pass, the first time a class target is asked for
            found: dict[Node, list[Node]] = defaultdict(list)
            for subject, by_predicate in self.out.items():
                if RDF.type in by_predicate:
                    for c in self.classes(subject):
                        found[c].append(subject)
            self._instances = found
        return self._instances.get(cls, [])

    def objects_of(self, predicate: Node) -> list[Node]:
        return sorted(self.by_predicate.get(predicate, ()), key=str)

    def label(self, node: Node) -> str:
        labels = [str(v) for v in self.objects(node, SKOS.prefLabel) if isinstance(v, Literal)]
        return min(labels) if labels else ""
