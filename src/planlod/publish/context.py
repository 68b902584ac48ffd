"""What every output of the site needs, computed once per build."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef

from ..catalog_info import CatalogInfo
from ..collection import Report
from ..graph.iris import mint_iri
from ..tallies import ReportCounts
from ..validate import Outcome

if TYPE_CHECKING:  # editions.py needs this module; the type alone goes the other way
    from ..editions import Edition


@dataclass(frozen=True, slots=True)
class WrittenFile:
    path: str  # relative to the site root, '/'-separated
    media_type: str
    byte_size: int
    sha256: str


@dataclass
class PublishContext:
    reports: tuple[Report, ...]
    graph: Graph  # the union of the reports' graphs: pages and VoID describe the whole collection
    outcome: Outcome  # the reports' validation outcomes together
    catalog_info: CatalogInfo
    base: str  # base of the IRIs
    site_url: str  # where the site is served from (download URLs)
    out: Path  # the (temporary) site folder being written
    files: dict[str, WrittenFile] = field(default_factory=dict)
    catalog: Graph | None = None
    catalog_outcome: Outcome | None = None
    void: Graph | None = None
    conformance_graph: Graph | None = None    # the EARL report
    editions: dict[URIRef, list[Edition]] = field(default_factory=dict)   # each plan's, in year order
    pages: bool = True    # whether the site has pages (a large collection's has none: large.py)
    report_counts: dict[str, ReportCounts] = field(default_factory=dict)   # by dataset id, where rows are not kept
    covid_meanings: dict[str, str] = field(default_factory=dict)   # ※'s meaning by report IRI, where reports are not

    def iri(self, *parts: str | int) -> URIRef:
        return mint_iri(self.base, "id", *parts)

    def url(self, relative: str) -> URIRef:
        return URIRef(self.site_url + relative)

    def doc_path(self, iri: str) -> str | None:
        """'{base}id/plan/…' -> 'doc/plan/…/index.html' for things of this dataset, else None."""
        prefix = self.base + "id/"
        if not iri.startswith(prefix) or len(iri) == len(prefix):
            return None
        return "doc/" + iri[len(prefix) :] + "/index.html"
