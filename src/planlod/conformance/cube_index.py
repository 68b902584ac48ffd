"""The RDF Data Cube integrity constraints of cube.py, evaluated in Python over an index (index.py) instead of
as the specification's queries on an Oxigraph store: the large path's workers check each report with them.

Why: on a store, a report cost ~120 µs of CPU a row (half of it loading the report, a quarter IC-12), as much
as a third of a worker's whole mapping, validation and writing; here the index the shapes were checked with is
read again. Each method transcribes its query (cube.py, in the same order; SPARQL's bags kept where a count
or a key depends on them), after the same §10 normalization applied to the index; tests/test_conformance.py
holds both to the same results on every rule's failing fixture and on the bundled reports, test_large.py on
the large path's reports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, QB, RDF, RDFS, SKOS, XSD
from rdflib.term import BNode, Node

from .. import vocab  # noqa: F401  (makes QB's, RDF's … terms the mapping's own objects)
from . import Failure, RuleResult, sorted_failures
from .cube import CONSTRAINTS, _rule
from .index import Index

# The mapping's own term objects (planlod.vocab makes them plain attributes): a report's index finds them as
# keys by identity, where an equal but distinct URIRef costs rdflib's Python __eq__ at every lookup.
TRUE, FALSE = Literal("true", datatype=XSD.boolean), Literal("false", datatype=XSD.boolean)
Step = Callable[[Node], list[Node]]


def normalize(g: Index) -> None:
    """§10.2, each step's matches found before any is added, as each INSERT … WHERE does."""
    def insert(found: Iterable[tuple[Node, Node, Node]]) -> None:
        for triple in list(found):
            g.add(*triple)

    def having(spec: Node) -> list[Node]:   # ?dataset qb:structure [ qb:component ?spec ] (a bag)
        return [d for dsd in g.subjects(QB.component, spec) for d in g.subjects(QB.structure, dsd)]

    insert((o, RDF.type, QB.Observation) for _, o in g.subject_objects(QB.observation))
    insert((o, RDF.type, QB.Observation) for o, _ in g.subject_objects(QB.dataSet))
    insert((s, RDF.type, QB.Slice) for _, s in g.subject_objects(QB.slice))
    for link, kind in ((QB.dimension, QB.DimensionProperty), (QB.measure, QB.MeasureProperty),
                       (QB.attribute, QB.AttributeProperty)):
        insert(t for cs, p in g.subject_objects(link) for t in ((cs, QB.componentProperty, p), (p, RDF.type, kind)))
    insert((obs, comp, value)
           for spec, comp in g.subject_objects(QB.componentProperty) if (spec, QB.componentAttachment, QB.DataSet) in g
           for dataset in having(spec) for value in g.objects(dataset, comp) for obs in g.subjects(QB.dataSet, dataset))
    insert((obs, comp, value)
           for spec, comp in g.subject_objects(QB.componentProperty) if (spec, QB.componentAttachment, QB.Slice) in g
           for dataset in having(spec) for slice_ in g.objects(dataset, QB.slice)
           for value in g.objects(slice_, comp) for obs in g.objects(slice_, QB.observation))
    insert((obs, comp, value)
           for spec, comp in g.subject_objects(QB.componentProperty) if (comp, RDF.type, QB.DimensionProperty) in g
           for dataset in having(spec) for slice_ in g.objects(dataset, QB.slice)
           for value in g.objects(slice_, comp) for obs in g.objects(slice_, QB.observation))


def _reached(starts: Iterable[Node], step: Step) -> set[Node]:
    seen: set[Node] = set()
    todo = list(starts)
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(step(node))
    return seen


class _Cube:
    """The normalized index, and what the constraints ask of it again and again (a structure's components, a
    property's type) asked once: the index no longer changes."""

    def __init__(self, g: Index) -> None:
        self.g = g
        self._props: dict[Node, list[Node]] = {}
        self._types: dict[tuple[Node, Node], bool] = {}
        self._structures: dict[Node, list[Node]] = {}
        self._of_kind: dict[tuple[Node, Node | None], list[Node]] = {}
        self._required: dict[Node, list[Node]] = {}

    def props(self, dsd: Node) -> list[Node]:
        """?dsd qb:component/qb:componentProperty ?p (a bag)."""
        found = self._props.get(dsd)
        if found is None:
            g = self.g
            found = self._props[dsd] = [p for cs in g.objects(dsd, QB.component)
                                        for p in g.objects(cs, QB.componentProperty)]
        return found

    def structures(self, focus: Node) -> list[Node]:
        """?focus qb:dataSet/qb:structure ?dsd (a bag)."""
        found = []
        for dataset in self.g.objects(focus, QB.dataSet):
            structures = self._structures.get(dataset)
            if structures is None:
                structures = self._structures[dataset] = self.g.objects(dataset, QB.structure)
            found += structures
        return found

    def of_kind(self, dsd: Node, kind: Node | None) -> list[Node]:
        """props(dsd) that are a `kind` (every one for None)."""
        found = self._of_kind.get((dsd, kind))
        if found is None:
            found = self._of_kind[(dsd, kind)] = [p for p in self.props(dsd) if kind is None or self.is_a(p, kind)]
        return found

    def required(self, dsd: Node) -> list[Node]:
        """?dsd qb:component ?spec . ?spec qb:componentRequired true ; qb:componentProperty ?p (a bag)."""
        found = self._required.get(dsd)
        if found is None:
            g = self.g
            found = self._required[dsd] = [p for spec in g.objects(dsd, QB.component)
                                           if (spec, QB.componentRequired, TRUE) in g
                                           for p in g.objects(spec, QB.componentProperty)]
        return found

    def is_a(self, node: Node, cls: Node) -> bool:
        known = self._types.get((node, cls))
        if known is None:
            known = self._types[(node, cls)] = (node, RDF.type, cls) in self.g
        return known

    def unique(self, cls: Node, link: Node) -> list[Failure]:
        return [Failure(str(f)) for f in self.g.subjects(RDF.type, cls) if len(self.g.objects(f, link)) != 1]

    def ic1(self) -> list[Failure]:
        return self.unique(QB.Observation, QB.dataSet)

    def ic2(self) -> list[Failure]:
        return self.unique(QB.DataSet, QB.structure)

    def ic3(self) -> list[Failure]:
        return [Failure(str(d)) for d in self.g.subjects(RDF.type, QB.DataStructureDefinition)
                if not any(self.is_a(p, QB.MeasureProperty) for p in self.props(d))]

    def ic4(self) -> list[Failure]:
        g = self.g
        return [Failure(str(p)) for p in g.subjects(RDF.type, QB.DimensionProperty) if (p, RDFS.range, None) not in g]

    def ic5(self) -> list[Failure]:
        g = self.g
        return [Failure(str(p)) for p in g.subjects(RDF.type, QB.DimensionProperty)
                if (p, RDFS.range, SKOS.Concept) in g and (p, QB.codeList, None) not in g]

    def ic6(self) -> list[Failure]:
        g = self.g
        return [Failure(str(p)) for _, spec in g.subject_objects(QB.component)
                if (spec, QB.componentRequired, FALSE) in g
                for p in g.objects(spec, QB.componentProperty) if not self.is_a(p, QB.AttributeProperty)]

    def ic7(self) -> list[Failure]:
        g = self.g
        return [Failure(str(k)) for k in g.subjects(RDF.type, QB.SliceKey)
                if not any(self.is_a(d, QB.DataStructureDefinition) for d in g.subjects(QB.sliceKey, k))]

    def ic8(self) -> list[Failure]:
        g = self.g
        return [Failure(str(k)) for k in g.subjects(RDF.type, QB.SliceKey)
                for prop in g.objects(k, QB.componentProperty)
                for dsd in g.subjects(QB.sliceKey, k) if prop not in self.props(dsd)]

    def ic9(self) -> list[Failure]:
        return self.unique(QB.Slice, QB.sliceStructure)

    def ic10(self) -> list[Failure]:
        g = self.g
        return [Failure(str(s)) for s, key in g.subject_objects(QB.sliceStructure)
                for dim in g.objects(key, QB.componentProperty) if (s, dim, None) not in g]

    def ic11(self) -> list[Failure]:
        g = self.g
        return [Failure(str(focus), str(p)) for focus in g.has_subject(QB.dataSet) for dsd in self.structures(focus)
                for p in self.of_kind(dsd, QB.DimensionProperty) if not g.objects(focus, p)]

    def ic13(self) -> list[Failure]:
        g = self.g
        return [Failure(str(focus), str(p)) for focus in g.has_subject(QB.dataSet) for dsd in self.structures(focus)
                for p in self.required(dsd) if not g.objects(focus, p)]

    def ic14(self) -> list[Failure]:
        g = self.g
        return [Failure(str(focus), str(m)) for focus in g.has_subject(QB.dataSet) for dsd in self.structures(focus)
                if QB.measureType not in self.of_kind(dsd, None)
                for m in self.of_kind(dsd, QB.MeasureProperty) if not g.objects(focus, m)]

    def measure_type_cubes(self) -> list[tuple[Node, Node]]:
        return [(focus, dsd) for focus in self.g.has_subject(QB.measureType) for dsd in self.structures(focus)
                if QB.measureType in self.of_kind(dsd, None)]

    def ic15(self) -> list[Failure]:
        g = self.g
        return [Failure(str(focus)) for focus, _ in self.measure_type_cubes()
                for measure in g.objects(focus, QB.measureType) if (focus, measure, None) not in g]

    def ic16(self) -> list[Failure]:
        g = self.g
        return [Failure(str(focus)) for focus, dsd in self.measure_type_cubes()
                for measure in g.objects(focus, QB.measureType)
                for other in self.props(dsd) if other != measure and self.is_a(other, QB.MeasureProperty)
                and (focus, other, None) in g]

    def ic17(self) -> list[Failure]:
        g = self.g
        measures = {dsd: n for dsd in g.has_subject(QB.component)
                    if (n := sum(1 for m in self.props(dsd) if self.is_a(m, QB.MeasureProperty)))}
        found = []
        for focus in g.has_subject(QB.measureType):
            for dsd in dict.fromkeys(self.structures(focus)):   # a group a (focus, structure)
                if dsd not in measures:
                    continue
                dims = [d for d in self.props(dsd) if d != QB.measureType and self.is_a(d, QB.DimensionProperty)]
                same = {obs2 for dataset in g.objects(focus, QB.dataSet) for obs2 in g.subjects(QB.dataSet, dataset)
                        if (obs2, QB.measureType, None) in g and not any(
                            v1 != v2 for d in dims for v1 in g.objects(focus, d) for v2 in g.objects(obs2, d))}
                if len(same) != measures[dsd]:
                    found.append(Failure(str(focus)))
        return found

    def ic18(self) -> list[Failure]:
        g = self.g
        return [Failure(str(focus)) for dataset, slice_ in g.subject_objects(QB.slice)
                for focus in g.objects(slice_, QB.observation) if (focus, QB.dataSet, dataset) not in g]

    def coded(self) -> list[tuple[Node, Node, Node]]:
        """(?focus, ?list, ?v) of ?focus qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
        ?dim a qb:DimensionProperty ; qb:codeList ?list . ?focus ?dim ?v"""
        g = self.g
        return [(focus, code_list, v) for focus in g.has_subject(QB.dataSet) for dsd in self.structures(focus)
                for dim in self.of_kind(dsd, QB.DimensionProperty)
                for code_list in g.objects(dim, QB.codeList) for v in g.objects(focus, dim)]

    def ic19(self) -> list[Failure]:
        g = self.g
        members: dict[Node, set[Node]] = {}

        def member(code_list: Node, v: Node) -> bool:   # ?list skos:member+ ?v
            if code_list not in members:
                members[code_list] = _reached(g.objects(code_list, SKOS.member),
                                              lambda n: g.objects(n, SKOS.member))
            return v in members[code_list]

        found = []
        for focus, code_list, v in self.coded():
            concept = self.is_a(v, SKOS.Concept)
            if (self.is_a(code_list, SKOS.ConceptScheme) and not (concept and (v, SKOS.inScheme, code_list) in g)) \
                    or (self.is_a(code_list, SKOS.Collection) and not (concept and member(code_list, v))):
                found.append(Failure(str(focus), str(v)))
        return found

    def hierarchies(self, inverse: bool) -> list[tuple[Node, Node]]:
        """HIERARCHY_LISTS (an IRI parent-child property), or INVERSE_HIERARCHY_LISTS (a blank node's owl:inverseOf)."""
        g = self.g
        found: set[tuple[Node, Node]] = set()
        for dim in g.subjects(RDF.type, QB.DimensionProperty):
            for code_list in g.objects(dim, QB.codeList):
                if self.is_a(code_list, QB.HierarchicalCodeList):
                    for pcp in g.objects(code_list, QB.parentChildProperty):
                        if not inverse and isinstance(pcp, URIRef):
                            found.add((code_list, pcp))
                        elif inverse and isinstance(pcp, BNode):
                            found.update((code_list, p) for p in g.objects(pcp, OWL.inverseOf))
        return sorted(found, key=lambda pair: (str(pair[0]), str(pair[1])))

    def in_hierarchy(self, inverse: bool) -> list[Failure]:
        """IC-20 (<list> qb:hierarchyRoot/<p>* ?v) or IC-21 (<list> qb:hierarchyRoot/^<p>* ?v), list by list."""
        g = self.g
        found: list[Failure] = []
        lists = self.hierarchies(inverse)
        coded = self.coded() if lists else []   # one pass over the observations for every list
        for code_list, p in lists:
            def step(n: Node, p: Node = p) -> list[Node]:
                return g.subjects(p, n) if inverse else g.objects(n, p)

            reached = _reached(g.objects(code_list, QB.hierarchyRoot), step)
            found += sorted_failures([Failure(str(focus), str(v)) for focus, listed, v in coded
                                      if listed == code_list and v not in reached])
        return found

    def ic12(self) -> list[Failure]:
        """As cube._duplicates: observations keyed by their data set and the full bag of dimension values (the
        terms, equal where their N-Triples texts are, without writing them)."""
        g = self.g
        values: dict[tuple[str, str], list[tuple[Node, Node]]] = {}
        single: dict[tuple[str, str], bool] = {}
        for obs in g.has_subject(QB.dataSet):
            for dataset in g.objects(obs, QB.dataSet):
                found: list[tuple[Node, Node]] = []
                one = True
                for dsd in g.objects(dataset, QB.structure):
                    for dim in self.of_kind(dsd, QB.DimensionProperty):
                        given = g.objects(obs, dim)
                        one = one and len(given) <= 1
                        found += [(dim, v) for v in given]
                if found:   # a key only with a solution, as in the query's
                    values[(str(obs), str(dataset))] = found
                    single[(str(obs), str(dataset))] = one
        seen: dict[tuple[str, object], str] = {}
        failures = []
        for (obs_name, dataset_name), dims in sorted(values.items()):
            # the data set's dimensions come in one order: with one value each, the sequence is the bag
            key = (dataset_name, tuple(dims) if single[(obs_name, dataset_name)] else frozenset(Counter(dims).items()))
            if key in seen:
                failures.append(Failure(obs_name, f"same dimension values as {seen[key]}"))
            else:
                seen[key] = obs_name
        return failures


def check_cube_index(g: Index) -> tuple[RuleResult, ...]:
    """check_cube's results, from the index (normalized here: the index is changed)."""
    normalize(g)
    cube = _Cube(g)
    results = [RuleResult(_rule(ic, title, section), sorted_failures(getattr(cube, ic.lower().replace("-", ""))()))
               for ic, title, section, _ in CONSTRAINTS]
    results.insert(11, RuleResult(_rule("IC-12", "No duplicate observations", "ic-12"), tuple(cube.ic12())))
    for ic, title, inverse in (("IC-20", "Codes from hierarchy", False),
                               ("IC-21", "Codes from hierarchy (inverse)", True)):
        results.append(RuleResult(_rule(ic, title, ic.lower()), tuple(cube.in_hierarchy(inverse))))
    return tuple(results)
