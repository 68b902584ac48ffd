"""Triples indexed by subject and predicate, read as the checks read an rdflib Graph: one report's index (the
large path's workers hold it for the shapes: shacl/facts.py) with the vocabulary's beside it, and what the Data
Cube normalization adds, without a Graph or a store of the report (cube_index.py).

Only the reads the conformance checks make: `subjects(predicate, object)`, `subject_objects(predicate)`,
`objects(subject, predicate)`, `(s, p, o)` / `(s, p, None) in`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from rdflib.term import Node

Layer = Mapping[Node, Mapping[Node, list[Node]]]   # subject -> predicate -> objects (each object once)
_NONE: list[Node] = []   # no objects (never changed)


class Index:
    def __init__(self, *layers: Layer) -> None:
        self.added: dict[Node, dict[Node, list[Node]]] = {}
        self.layers: tuple[Layer, ...] = (*layers, self.added)
        # subjects by predicate, in one pass over every (subject, predicate) once (a report holds ~30 a row); in
        # lists, a fifth of a dict's memory for a huge report's millions (a subject in two layers is there twice)
        self._by_predicate: dict[Node, list[Node]] = {}
        for layer in self.layers:
            for s, by_p in layer.items():
                for p in by_p:
                    subjects = self._by_predicate.get(p)
                    if subjects is None:
                        self._by_predicate[p] = [s]
                    else:
                        subjects.append(s)
        self._inverse: dict[Node, dict[Node, list[Node]]] = {}
        self._merged: dict[Node, Mapping[Node, list[Node]]] = {}

    def objects(self, subject: Node, predicate: Node) -> list[Node]:
        """Not to be changed by the caller (a layer's own list)."""
        return self.about(subject).get(predicate, _NONE)

    def about(self, subject: Node) -> Mapping[Node, list[Node]]:
        """The subject's predicates and objects in every layer, merged once (each object once)."""
        found = self._merged.get(subject)
        if found is None:
            parts = [by_p for layer in self.layers if (by_p := layer.get(subject))]
            if len(parts) == 1:
                found = parts[0]
            else:
                merged: dict[Node, list[Node]] = {}
                for part in parts:   # the layers' lists themselves, but where two layers give the predicate
                    for p, objects in part.items():
                        known = merged.get(p)
                        merged[p] = objects if known is None else known + [o for o in objects if o not in known]
                found = merged
            self._merged[subject] = found
        return found

    def has_subject(self, predicate: Node) -> list[Node]:
        """The subjects that have `predicate`, each once."""
        return list(dict.fromkeys(self._by_predicate.get(predicate, ())))

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        for s in self.has_subject(predicate):
            for o in self.objects(s, predicate):
                yield s, o

    def subjects(self, predicate: Node, obj: Node) -> list[Node]:
        """The subjects with `obj` as an object of `predicate` (indexed per predicate when first asked for)."""
        inverse = self._inverse.get(predicate)
        if inverse is None:
            inverse = self._inverse[predicate] = {}
            for s, o in self.subject_objects(predicate):
                inverse.setdefault(o, []).append(s)
        return inverse.get(obj, [])

    def __contains__(self, triple: tuple[Node, Node, Node | None]) -> bool:
        s, p, o = triple
        objects = self.objects(s, p)
        return bool(objects) if o is None else o in objects

    def add(self, s: Node, p: Node, o: Node) -> None:
        if o in self.objects(s, p):
            return
        by_p = self.added.setdefault(s, {})
        if p not in by_p:
            by_p[p] = []
            self._by_predicate.setdefault(p, []).append(s)
        by_p[p].append(o)
        self._merged.pop(s, None)
        inverse = self._inverse.get(p)
        if inverse is not None:
            inverse.setdefault(o, []).append(s)
