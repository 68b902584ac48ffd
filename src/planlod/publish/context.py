"""What every output of the site needs, computed once per build."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from ..graph.context import MappingContext
from ..graph.iris import IriScheme
from ..records import ProgressTable
from ..validate import Outcome


@dataclass(frozen=True, slots=True)
class WrittenFile:
    path: str  # relative to the site root, '/'-separated
    media_type: str
    byte_size: int
    sha256: str


@dataclass
class PublishContext:
    table: ProgressTable
    graph: Graph
    outcome: Outcome
    mapping: MappingContext
    base: str  # base of the IRIs
    site_url: str  # where the site is served from (download URLs)
    out: Path  # the (temporary) site folder being written
    files: dict[str, WrittenFile] = field(default_factory=dict)
    catalog: Graph | None = None
    catalog_outcome: Outcome | None = None

    @property
    def iris(self) -> IriScheme:
        return self.mapping.iris

    @property
    def dataset_id(self) -> str:
        iris = self.iris
        return self.table.metadata.publication.id or f"{iris.ward_code}-{iris.plan_id}-fy{iris.fiscal_year}"

    def url(self, relative: str) -> URIRef:
        return URIRef(self.site_url + relative)

    def doc_path(self, iri: str) -> str | None:
        """'{base}id/plan/…' -> 'doc/plan/…/index.html' for things of this dataset, else None."""
        prefix = self.base + "id/"
        if not iri.startswith(prefix) or len(iri) == len(prefix):
            return None
        return "doc/" + iri[len(prefix) :] + "/index.html"
