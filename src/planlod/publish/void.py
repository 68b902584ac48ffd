"""The VoID description: size, classes, properties, examples, endpoint and dumps of the data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from ..formats import DATASET_FORMATS, FORMATS
from ..vocab import VOCAB_IRI, VOID, bind_prefixes
from .context import PublishContext
from .dumps import COLLECTION_ID, dump_name


def _slug(iri: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in iri.split("//", 1)[-1]).strip("-")


@dataclass(frozen=True)
class StreamedSize:
    """The size of a collection that was streamed (the large path): never held as one graph."""

    triples: int                     # the collection's distinct triples (its on-disk store's count)
    report_triples: Mapping[str, int]   # each report's, by dataset id (the lines of its N-Triples dump)


def build_void(ctx: PublishContext, streamed: StreamedSize | None = None) -> Graph:
    """From the collection's graph; or, for a streamed collection, from its size: then without the
    distinct subjects and objects and the class and property partitions, which need the whole graph at once
    (the store could count them, with passes over all its triples: 39M at a million evaluations; not measured)."""
    data = ctx.graph
    g = bind_prefixes(Graph())
    dataset = ctx.iri("dataset", COLLECTION_ID)
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, DCTERMS.title, Literal(ctx.catalog_info.catalog.title, lang="ja")))
    g.add((dataset, DCTERMS.title, Literal(ctx.catalog_info.catalog.title_en, lang="en")))
    g.add((dataset, VOID.triples, Literal(streamed.triples if streamed else len(data), datatype=XSD.integer)))
    if streamed is None:
        subjects = {s for s in data.subjects() if isinstance(s, URIRef)}
        g.add((dataset, VOID.entities, Literal(len(subjects), datatype=XSD.integer)))
        g.add((dataset, VOID.distinctSubjects, Literal(len(subjects), datatype=XSD.integer)))
        g.add((dataset, VOID.distinctObjects, Literal(len(set(data.objects())), datatype=XSD.integer)))
    g.add((dataset, VOID.uriSpace, Literal(ctx.base + "id/")))
    g.add((dataset, VOID.sparqlEndpoint, ctx.url("sparql")))
    g.add((dataset, VOID.vocabulary, URIRef(VOCAB_IRI + "#")))
    for rdf_format in DATASET_FORMATS:
        if dump_name(COLLECTION_ID, rdf_format.suffix) in ctx.files:
            g.add((dataset, VOID.dataDump, ctx.url(dump_name(COLLECTION_ID, rdf_format.suffix))))
    for report in ctx.reports:  # each report is a subset, in the named graph of its dataset IRI
        subset = report.dataset_iri
        g.add((dataset, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, DCTERMS.title, Literal(report.table.title, lang="ja")))
        size = streamed.report_triples[report.dataset_id] if streamed else len(report.graph)
        g.add((subset, VOID.triples, Literal(size, datatype=XSD.integer)))
        for rdf_format in FORMATS:
            if dump_name(report.dataset_id, rdf_format.suffix) in ctx.files:
                g.add((subset, VOID.dataDump, ctx.url(dump_name(report.dataset_id, rdf_format.suffix))))
    for report in ctx.reports:
        for example in (report.iris.plan(), report.iris.report(), report.iris.ward_office()):
            g.add((dataset, VOID.exampleResource, example))
    if streamed is None:
        _partitions(g, dataset, data)
    return g


def _partitions(g: Graph, dataset: URIRef, data: Graph) -> None:
    classes = Counter(o for o in data.objects(None, RDF.type))
    g.add((dataset, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    for cls, count in sorted(classes.items()):
        part = URIRef(f"{dataset}/void/class/{_slug(str(cls))}")
        g.add((dataset, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(count, datatype=XSD.integer)))
    properties = Counter(p for p in data.predicates())
    g.add((dataset, VOID.properties, Literal(len(properties), datatype=XSD.integer)))
    for prop, count in sorted(properties.items()):
        part = URIRef(f"{dataset}/void/property/{_slug(str(prop))}")
        g.add((dataset, VOID.propertyPartition, part))
        g.add((part, VOID.property, prop))
        g.add((part, VOID.triples, Literal(count, datatype=XSD.integer)))
