"""SKOS integrity: the conditions of the SKOS Reference (W3C Recommendation, 2009) that data can break,
and the two conventions of its primer that planlod follows (every concept in a scheme, top concepts
declared). Checked in one pass over the graph each, without reasoning beyond what each rule names."""

from __future__ import annotations

from collections import Counter, defaultdict

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from . import Failure, Rule, RuleResult, sorted_failures
from .index import Index

REF = "https://www.w3.org/TR/skos-reference/#"
S9 = Rule("skos:S9", "skos:ConceptScheme is disjoint with skos:Concept", REF + "S9")
S13 = Rule("skos:S13", "skos:prefLabel, skos:altLabel and skos:hiddenLabel are pairwise disjoint", REF + "S13")
S14 = Rule("skos:S14", "A resource has no more than one skos:prefLabel per language tag", REF + "S14")
S27 = Rule("skos:S27", "skos:related is disjoint with skos:broaderTransitive", REF + "S27")
S37 = Rule("skos:S37", "skos:Collection is disjoint with skos:Concept and skos:ConceptScheme", REF + "S37")
IN_SCHEME = Rule("skos:in-scheme", "Every concept is in a concept scheme",
                 "https://www.w3.org/TR/skos-primer/#secscheme")
TOP = Rule("skos:top-concepts", "A concept without a broader concept in its scheme is a top concept of it",
           "https://www.w3.org/TR/skos-primer/#sectopconcept")
CYCLES = Rule("skos:broader-cycles", "No concept is broader than itself through skos:broader",
              REF + "L40")


def _broader(graph: Graph | Index) -> dict[URIRef, set[URIRef]]:
    up: dict[URIRef, set[URIRef]] = defaultdict(set)
    for s, o in graph.subject_objects(SKOS.broader):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            up[s].add(o)
    for s, o in graph.subject_objects(SKOS.narrower):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            up[o].add(s)
    return up


def _cycles(up: dict[URIRef, set[URIRef]]) -> list[Failure]:
    """Concepts on a broader cycle, by depth-first search (white/grey/black), in linear time."""
    state: dict[URIRef, int] = {}
    found = []
    # by str: the IRIs' order as rdflib's, without its Python __lt__ (a large build sorts every report's concepts)
    for start in sorted(up, key=str):
        if state.get(start):
            continue
        stack = [(start, iter(sorted(up[start], key=str)))]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                found.append(Failure(str(child), f"reached again from {node}"))
            elif not state.get(child):
                state[child] = 1
                stack.append((child, iter(sorted(up.get(child, ()), key=str))))
    return found


def _ancestors(up: dict[URIRef, set[URIRef]], node: URIRef) -> set[URIRef]:
    seen: set[URIRef] = set()
    todo = list(up.get(node, ()))
    while todo:
        n = todo.pop()
        if n not in seen:
            seen.add(n)
            todo.extend(up.get(n, ()))
    return seen


def check_skos(graph: Graph | Index) -> tuple[RuleResult, ...]:
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    schemes = set(graph.subjects(RDF.type, SKOS.ConceptScheme))
    collections = set(graph.subjects(RDF.type, SKOS.Collection))
    s9 = [Failure(str(n)) for n in concepts & schemes]
    s37 = [Failure(str(n)) for n in collections & (concepts | schemes)]
    # S13 needs two kinds of label on one subject, so only subjects with an alt or hidden label are read (a
    # report's ~2 labels a row were keyed by (subject, literal), and rdflib hashes a Literal in Python)
    s13 = []
    for s in {s for prop in (SKOS.altLabel, SKOS.hiddenLabel) for s, _ in graph.subject_objects(prop)}:
        kinds: dict[Literal, set[URIRef]] = defaultdict(set)
        for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            for o in graph.objects(s, prop):
                if isinstance(o, Literal):
                    kinds[o].add(prop)
        s13 += [Failure(str(s), f"'{o}' is more than one kind of label")
                for o, props in kinds.items() if len(props) > 1]
    preferred: dict[object, list[Literal]] = defaultdict(list)   # each triple once: distinct literals
    for s, o in graph.subject_objects(SKOS.prefLabel):
        if isinstance(o, Literal):
            preferred[s].append(o)
    s14 = [Failure(str(s), f"{n} prefLabels in '{lang}'") for s, values in preferred.items() if len(values) > 1
           for lang, n in Counter(v.language or "" for v in values).items() if n > 1]
    up = _broader(graph)
    s27 = [Failure(str(s), f"related to {o}, which is also broader") for s, o in graph.subject_objects(SKOS.related)
           if isinstance(s, URIRef) and isinstance(o, URIRef)
           and (o in _ancestors(up, s) or s in _ancestors(up, o))]
    in_scheme = [Failure(str(c)) for c in concepts if (c, SKOS.inScheme, None) not in graph
                 and (c, SKOS.topConceptOf, None) not in graph]
    top = []
    for concept in sorted((c for c in concepts if isinstance(c, URIRef)), key=str):
        for scheme in graph.objects(concept, SKOS.inScheme):
            if any((b, SKOS.inScheme, scheme) in graph for b in up.get(concept, ())):
                continue   # most concepts: the top-concept links, a long list to compare, are not read then
            if (concept, SKOS.topConceptOf, scheme) not in graph and (scheme, SKOS.hasTopConcept, concept) not in graph:
                top.append(Failure(str(concept), f"no broader concept in {scheme}, and not its top concept"))
    return tuple(RuleResult(rule, sorted_failures(failures)) for rule, failures in (
        (S9, s9), (S13, s13), (S14, s14), (S27, s27), (S37, s37), (IN_SCHEME, in_scheme), (TOP, top),
        (CYCLES, _cycles(up))))
