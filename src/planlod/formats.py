"""One table of RDF formats, used by parsing, publishing, the CLI and (later) the server."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RdfFormat:
    name: str          # rdflib's parser/serializer name
    media_type: str
    suffix: str
    label: str


FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat("turtle", "text/turtle", ".ttl", "Turtle"),
    RdfFormat("json-ld", "application/ld+json", ".jsonld", "JSON-LD"),
    RdfFormat("nt", "application/n-triples", ".nt", "N-Triples"),
)
# Formats of a whole collection, each report in its own named graph.
DATASET_FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat("nquads", "application/n-quads", ".nq", "N-Quads"),
    RdfFormat("trig", "application/trig", ".trig", "TriG"),
)
BY_SUFFIX = {f.suffix: f for f in FORMATS}
BY_MEDIA_TYPE = {f.media_type: f for f in FORMATS}
