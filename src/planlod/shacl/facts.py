"""One report's triples, indexed for the compiled checks: objects by subject and predicate, classes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from rdflib import Literal
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

Triple = tuple[Node, Node, Node]


class Facts:
    """The data graph as plain dictionaries, built in one pass over its triples. Lean because a huge report
    (100,000 rows, ~4M triples) is held this way while it is checked: no second copy of the triples (the
    one pass can feed a writer too: `passing`), objects by predicate found when first asked for."""

    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        self.out: dict[Node, dict[Node, list[Node]]] = {}
        self.superclasses: dict[Node, set[Node]] = defaultdict(set)
        self._by_predicate: dict[Node, list[Node]] = {}
        self._inverse: dict[Node, dict[Node, list[Node]]] = {}
        self._classes: dict[Node, frozenset[Node]] = {}
        self._class_sets: dict[tuple[Node, ...], frozenset[Node]] = {}   # nodes of the same types share one set
        self._instances: dict[Node, list[Node]] | None = None
        for _ in self.passing(triples):
            pass

    def passing(self, triples: Iterable[Triple]) -> Iterator[Triple]:
        """The triples, each added to the index as it goes by."""
        out = self.out
        for triple in triples:
            s, p, o = triple
            by_p = out.get(s)
            if by_p is None:
                by_p = out[s] = {}
            objects = by_p.get(p)
            if objects is None:
                by_p[p] = [o]
            else:
                objects.append(o)
            yield triple
        # a graph is a set: the same triple twice is one (first seen first, as before)
        for s, by_p in out.items():
            for p, objects in by_p.items():
                if len(objects) > 1:
                    by_p[p] = list(dict.fromkeys(objects))
            # found here, once a subject, not by comparing every triple's predicate (rdflib's __eq__ is Python)
            if RDFS.subClassOf in by_p:
                self.superclasses[s].update(by_p[RDFS.subClassOf])

    def objects(self, subject: Node, predicate: Node) -> list[Node]:
        by_predicate = self.out.get(subject)
        return by_predicate.get(predicate, []) if by_predicate else []

    def classes(self, node: Node) -> frozenset[Node]:
        """rdf:type with rdfs:subClassOf* in the data graph, as SHACL's class membership reads it."""
        found = self._classes.get(node)
        if found is None:
            types = tuple(self.objects(node, RDF.type))
            found = self._class_sets.get(types)
            if found is None:
                todo, seen = list(types), set()
                while todo:
                    cls = todo.pop()
                    if cls not in seen:
                        seen.add(cls)
                        todo.extend(self.superclasses.get(cls, ()))
                found = self._class_sets[types] = frozenset(seen)
            self._classes[node] = found
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
        found = self._by_predicate.get(predicate)
        if found is None:
            found = self._by_predicate[predicate] = sorted(
                {o for by_p in self.out.values() for o in by_p.get(predicate, ())}, key=str)
        return found

    def subjects(self, node: Node, predicate: Node) -> list[Node]:
        """The subjects of `predicate` with object `node` (inverse paths): indexed per predicate when first asked."""
        inverse = self._inverse.get(predicate)
        if inverse is None:
            inverse = self._inverse[predicate] = defaultdict(list)
            for subject, by_p in self.out.items():
                for o in by_p.get(predicate, ()):
                    inverse[o].append(subject)
        return inverse.get(node, [])

    def label(self, node: Node) -> str:
        labels = [str(v) for v in self.objects(node, SKOS.prefLabel) if isinstance(v, Literal)]
        return min(labels) if labels else ""
