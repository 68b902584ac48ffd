"""Namespaces: our own as a DefinedNamespace (a typo fails), the reused ones from rdflib."""

from __future__ import annotations

from typing import TypeVar, cast

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    QB,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    TIME,
    XSD,
    DefinedNamespace,
)
from rdflib.term import Node

T = TypeVar("T", bound=Node | None)

VOCAB_IRI = "https://w3id.org/planlod/def"


class PLANLOD(DefinedNamespace):
    _NS = Namespace(VOCAB_IRI + "#")
    _fail = True

    Plan: URIRef
    PlanElement: URIRef
    Goal: URIRef
    Policy: URIRef
    Measure: URIRef
    Project: URIRef
    Activity: URIRef
    ProgressReport: URIRef
    FiscalYear: URIRef
    Evaluation: URIRef
    ReferenceActual: URIRef
    DeclaredCount: URIRef
    Correction: URIRef
    directionText: URIRef
    covidAffected: URIRef
    rank: URIRef
    complete: URIRef
    priority: URIRef
    priorityOnly: URIRef
    assessment: URIRef
    assessmentScheme: URIRef
    hierarchyLevel: URIRef
    referenceActual: URIRef
    resultCategories: URIRef
    field: URIRef
    responsibleUnit: URIRef
    evaluationScale: URIRef
    resultPivot: URIRef
    met: URIRef
    notMet: URIRef
    allResults: URIRef
    plan: URIRef
    fiscalYear: URIRef
    activity: URIRef
    result: URIRef
    actual: URIRef
    target: URIRef
    issuesAndDirection: URIRef
    targetValue: URIRef
    actualValue: URIRef
    summaryTable: URIRef
    scope: URIRef
    resultCategory: URIRef
    count: URIRef
    printedLabel: URIRef
    sourceLine: URIRef
    evaluationStructure: URIRef
    referenceStructure: URIRef
    declaredCountStructure: URIRef
    correction: URIRef
    sourceCell: URIRef
    originalText: URIRef
    correctedText: URIRef
    sha256: URIRef


VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
CV = Namespace("http://data.europa.eu/m8g/")
VANN = Namespace("http://purl.org/vocab/vann/")
SAC = Namespace("http://data.e-stat.go.jp/lod/sac/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
EARL = Namespace("http://www.w3.org/ns/earl#")
VOID = Namespace("http://rdfs.org/ns/void#")

PREFIXES: dict[str, Namespace] = {
    "planlod": Namespace(VOCAB_IRI + "#"), "skos": Namespace(str(SKOS)), "dct": Namespace(str(DCTERMS)),
    "org": Namespace(str(ORG)), "prov": Namespace(str(PROV)), "qb": Namespace(str(QB)),
    "time": Namespace(str(TIME)), "schema": Namespace(str(SDO)), "dcat": Namespace(str(DCAT)),
    "foaf": Namespace(str(FOAF)), "vcard": Namespace(str(VCARD)), "owl": Namespace(str(OWL)),
    "sdmx-dimension": SDMX_DIMENSION, "cv": CV, "vann": VANN, "sac": SAC,
    "rdf": Namespace(str(RDF)), "rdfs": Namespace(str(RDFS)), "xsd": Namespace(str(XSD)),
    # What the catalog and the reports use: bound always, so a page's Turtle twin never gets an ns1.
    "spdx": SPDX, "dcatap": DCATAP, "earl": EARL, "sh": Namespace(str(SH)), "void": VOID,
}


def bind_prefixes(graph: Graph) -> Graph:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def _materialize(*namespaces: type[DefinedNamespace]) -> None:
    """Each term as a plain class attribute: the value is the namespace's own, but found without the
    metaclass's __getattr__ (about 1 µs each, and the mapping reads ~30 terms per evaluation)."""
    for namespace in namespaces:
        for klass in namespace.__mro__:
            for name in getattr(klass, "__annotations__", {}):
                if not name.startswith("_") and name not in vars(namespace):
                    type.__setattr__(namespace, name, namespace[name])


_MATERIALIZED = (PLANLOD, DCAT, DCTERMS, FOAF, ORG, OWL, PROV, QB, RDF, RDFS, SDO, SKOS, TIME, XSD)
_materialize(*_MATERIALIZED)


def shared_term(term: T) -> T:
    """The one object the mapping uses for a term of these namespaces (their attributes above), else the term.

    The compiled shapes hold these, so that looking a path, class or datatype up in a report's index finds its
    key by identity: an equal but distinct URIRef costs rdflib's Python __eq__ instead (~60 times a row)."""
    if isinstance(term, URIRef):
        for namespace in _MATERIALIZED:
            if term in namespace:
                return cast(T, namespace[term[len(str(namespace)):]])
    return term
