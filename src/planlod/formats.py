"""One table of the file formats planlod writes and serves: dumps, catalog distributions, content
negotiation (static-host configs and `planlod serve`) and SPARQL results all read it, by name."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RdfFormat:
    name: str            # rdflib's parser/serializer name for RDF; a short key otherwise
    media_type: str
    suffix: str
    label: str
    eu_file_type: str = ""   # the EU file-type code a catalog gives as dct:format ('' where none)
    text: bool = True        # served with '; charset=utf-8'
    oxigraph: str = ""       # pyoxigraph's RdfFormat member, for the formats the server can write
    rdf: bool = True

    @property
    def key(self) -> str:
        """The format's short key in IRIs ('ttl', 'jsonld', 'spreadsheet-csv')."""
        return self.suffix.strip(".-").replace(".", "-")

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.text else self.media_type


TABLE: tuple[RdfFormat, ...] = (
    RdfFormat("turtle", "text/turtle", ".ttl", "Turtle", "RDF_TURTLE", oxigraph="TURTLE"),
    RdfFormat("json-ld", "application/ld+json", ".jsonld", "JSON-LD", "JSON_LD", text=False, oxigraph="JSON_LD"),
    RdfFormat("nt", "application/n-triples", ".nt", "N-Triples", "RDF_N_TRIPLES", text=False, oxigraph="N_TRIPLES"),
    RdfFormat("nquads", "application/n-quads", ".nq", "N-Quads", "RDF_N_QUADS", text=False),
    RdfFormat("trig", "application/trig", ".trig", "TriG", "RDF_TRIG", text=False),
    RdfFormat("csv", "text/csv", ".csv", "CSV", "CSV", rdf=False),
    # The same rows for spreadsheets (Japanese headers, BOM, formulas neutralised): a file name, not a type.
    RdfFormat("spreadsheet-csv", "text/csv", "-spreadsheet.csv", "CSV for spreadsheets", "CSV", rdf=False),
    RdfFormat("html", "text/html", ".html", "HTML", "HTML", rdf=False),
    RdfFormat("csvw", "application/csvm+json", ".csv-metadata.json", "CSVW metadata", "JSON", text=False, rdf=False),
    RdfFormat("json", "application/json", ".json", "JSON", "JSON", text=False, rdf=False),
    RdfFormat("sparql-query", "application/sparql-query", ".rq", "SPARQL", "SPARQLQ", rdf=False),
    RdfFormat("css", "text/css", ".css", "CSS", rdf=False),
    RdfFormat("javascript", "text/javascript", ".js", "JavaScript", rdf=False),
    RdfFormat("svg", "image/svg+xml", ".svg", "SVG", text=False, rdf=False),
    RdfFormat("text", "text/plain", ".txt", "Text", "TXT", rdf=False),
    RdfFormat("nginx", "text/plain", ".conf", "nginx configuration", rdf=False),
    RdfFormat("htaccess", "text/plain", ".htaccess", "Apache configuration", rdf=False),
)
BY_NAME = {f.name: f for f in TABLE}
TURTLE, JSON_LD, N_TRIPLES, N_QUADS, TRIG, CSV, SPREADSHEET_CSV, HTML = (
    BY_NAME[n] for n in ("turtle", "json-ld", "nt", "nquads", "trig", "csv", "spreadsheet-csv", "html"))
# Each report's dumps, and the collection's (every report in its own named graph).
FORMATS: tuple[RdfFormat, ...] = (TURTLE, JSON_LD, N_TRIPLES)
DATASET_FORMATS: tuple[RdfFormat, ...] = (N_QUADS, TRIG)
# A resource's description as the site serves it: the page and its RDF twins.
DOCUMENT_FORMATS: tuple[RdfFormat, ...] = (HTML, TURTLE, JSON_LD, N_TRIPLES)
BY_SUFFIX = {f.suffix: f for f in FORMATS}   # the files `planlod validate` and `graph_of` parse
CONTENT_TYPES = {f.suffix: f.content_type for f in TABLE if f.suffix.startswith(".")}


def format_of(name: str) -> RdfFormat | None:
    """The format of a file by its name: the longest suffix that matches ('x.csv-metadata.json' is CSVW)."""
    return max((f for f in TABLE if name.endswith(f.suffix)), key=lambda f: len(f.suffix), default=None)


def media_type_of(name: str) -> str:
    found = format_of(name)
    return found.media_type if found else "application/octet-stream"
