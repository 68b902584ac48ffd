"""The vocabulary documented as Linked Data best practice asks (W3C Best Practices for Publishing Linked
Data, §"Vocabularies"): every term labelled and defined in Japanese and English, every property with its
range and its domain (or a note saying why it has none), and every planlod term the data uses defined."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from ..vocab import VOCAB_IRI
from . import Failure, Rule, RuleResult

LDBP = "https://www.w3.org/TR/ld-bp/#VOCABULARIES"
LABELS = Rule("vocab:labels", "Every term has a label in Japanese and in English", LDBP)
DEFINITIONS = Rule("vocab:definitions", "Every term has a definition in Japanese and in English", LDBP)
DOMAIN_RANGE = Rule("vocab:domain-range", "Every property has a range, and a domain or a note (ja, en) why not",
                    "https://www.w3.org/TR/rdf-schema/#ch_domainrange")
DEFINED = Rule("vocab:defined", "Every planlod term the data uses is defined (rdfs:isDefinedBy)",
               "https://www.w3.org/TR/rdf-schema/#ch_isdefinedby")
PROPERTY_TYPES = {OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property}


def _languages(graph: Graph, term: URIRef, *props: URIRef) -> set[str]:
    return {o.language or "" for p in props for o in graph.objects(term, p) if isinstance(o, Literal)}


def check_vocabulary(vocab: Graph, data: Graph | None = None) -> tuple[RuleResult, ...]:
    used: set[URIRef] = set()
    for _, p, o in data if data is not None else ():
        used.update(t for t in ((p, o) if p == RDF.type else (p,)) if isinstance(t, URIRef))
    return (*documentation_rules(vocab), check_defined(defined_terms(vocab), used))


def defined_terms(vocab: Graph) -> frozenset[URIRef]:
    return frozenset(t for t in vocab.subjects(RDFS.isDefinedBy, URIRef(VOCAB_IRI)) if isinstance(t, URIRef))


def documentation_rules(vocab: Graph) -> tuple[RuleResult, RuleResult, RuleResult]:
    """The rules of the vocabulary alone: its terms' labels, definitions, domains and ranges."""
    labels, definitions, domain_range = [], [], []
    for term in sorted(defined_terms(vocab)):
        if not {"ja", "en"} <= _languages(vocab, term, RDFS.label, SKOS.prefLabel):
            labels.append(Failure(str(term)))
        if not {"ja", "en"} <= _languages(vocab, term, RDFS.comment, SKOS.definition):
            definitions.append(Failure(str(term)))
        if set(vocab.objects(term, RDF.type)) & PROPERTY_TYPES:
            if (term, RDFS.range, None) not in vocab:
                domain_range.append(Failure(str(term), "no rdfs:range"))
            if (term, RDFS.domain, None) not in vocab and not {"ja", "en"} <= _languages(vocab, term, SKOS.scopeNote):
                domain_range.append(Failure(str(term), "no rdfs:domain and no note why"))
    return (RuleResult(LABELS, tuple(labels)), RuleResult(DEFINITIONS, tuple(definitions)),
            RuleResult(DOMAIN_RANGE, tuple(domain_range)))


def check_defined(defined: frozenset[URIRef], used: Iterable[Node]) -> RuleResult:
    """`used`: the data's predicates and the classes it gives with rdf:type."""
    namespace = VOCAB_IRI + "#"
    return RuleResult(DEFINED, tuple(Failure(str(t), "used in the data") for t in sorted(
        t for t in set(used) if isinstance(t, URIRef) and str(t).startswith(namespace) and t not in defined)))
