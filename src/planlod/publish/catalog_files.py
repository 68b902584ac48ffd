"""The catalog's files (Turtle, JSON-LD) made from its parts (catalog.catalog_parts), one part's graph at a time.

A catalog has ~117 triples a report: as one rdflib graph, checked and serialized, it grew the build by ~130 kB a
report (1.25 GB for the ~10,000 reports of 1,700 municipalities over five years). Here each part (a plan's series
and editions; the head) is checked against DCAT-AP on its own and its subjects are written at once into files
beside the build, in the order each format wants only at the end; the catalog's graph is kept only where pages
need it (the small path). The same bytes as serializing the whole graph (tests/test_catalog_files.py).

Why a part can be checked alone: the DCAT-AP 3.0.1 shapes read a focus node's own triples, the rdf:type of the
nodes it points to (sh:class) and, through sh:node, the triples of codes, agents and places, which every part
pointing to them describes; their one inverse path (dcat:inSeries, on a series) stays inside a plan's part. A
part holds every triple of the subjects it describes; the nodes it points to that earlier parts describe come
with their types. Results are kept for the nodes a part describes. Two parts describing one node (a publisher, a
place, a code) must describe it alike, or the whole graph would not be what the parts were checked as.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, RDF, SH, SKOS
from rdflib.plugins.serializers.jsonld import from_rdf
from rdflib.plugins.shared.jsonld.context import Context
from rdflib.term import Node

from ..bundled import DCAT_AP_SHAPES
from ..errors import PlanlodError
from ..metadata import sidecar
from ..serialize import QNames, jsonld_context, rdflib_turtle, sorted_json
from ..shacl import Facts, Result, check_triples, compiled
from ..turtle import FileBlocks, TurtleDocument, Unwritable
from ..validate import Outcome, outcome_of
from ..vocab import bind_prefixes
from .catalog import catalog_head, plan_parts
from .context import PublishContext
from .files import write_chunks

SPOOL_DIR = ".catalog"   # in the build folder, removed when the catalog is written
Triple = tuple[Node, Node, Node]


def write_catalog(ctx: PublishContext, before_head: Callable[[], None] = lambda: None) -> None:
    """catalog.ttl and catalog.jsonld, checked against DCAT-AP 3.0.1 (violations refused). `before_head` runs
    when the plans' parts are done, before the head, which gives the collection's files their size and checksum
    (large.py waits there for the collection's N-Quads, written meanwhile by another process)."""
    files = CatalogFiles(ctx, keep_graph=ctx.pages)   # the pages embed the catalog and describe its resources
    for part in plan_parts(ctx):
        files.add(part)
    before_head()
    files.add(catalog_head(ctx))
    files.finish()


class CatalogFiles:
    def __init__(self, ctx: PublishContext, *, keep_graph: bool) -> None:
        self._ctx = ctx
        self._spool = ctx.out / SPOOL_DIR
        self._spool.mkdir(parents=True, exist_ok=True)
        self._spools = (FileBlocks(self._spool / "turtle"), FileBlocks(self._spool / "jsonld"))
        names_graph = bind_prefixes(Graph())
        self._turtle: TurtleDocument | None = TurtleDocument(QNames(names_graph), names_graph.store, self._spools[0])
        self._jsonld = _JsonLdNodes(self._spools[1])
        self._checks = _PartChecks()
        # each subject's description (a digest) and the part that gave it, named by its reports' metadata files
        self._digests: dict[Node, tuple[bytes, int]] = {}
        self._metadata: dict[Node, str] = {r.dataset_iri: sidecar(Path(r.table.source_name), ".meta.toml").name
                                           for r in ctx.reports}
        self._wheres: list[str] = []
        self._graph = bind_prefixes(Graph(store="SimpleMemory")) if keep_graph else None

    def add(self, part: Graph) -> None:
        self._checks.check(part)
        self._wheres.append(", ".join(sorted({self._metadata[d] for d in part.subjects(RDF.type, DCAT.Dataset)
                                              if d in self._metadata})) or "the catalog information")
        new = self._new_triples(part)
        if self._graph is not None:
            for triple in new:
                self._graph.add(triple)
        if self._turtle is not None:
            try:
                self._turtle.add(new)
            except Unwritable:
                self._turtle = None   # rdflib writes it from the graph, or the build stops (finish)
        self._jsonld.add(new)

    def _new_triples(self, part: Graph) -> list[Triple]:
        """The part's triples but those of subjects an earlier part described (alike, or an error)."""
        by_subject: dict[Node, list[Triple]] = {}
        for triple in part:
            by_subject.setdefault(triple[0], []).append(triple)
        new = []
        for subject, triples in by_subject.items():
            digest = hashlib.sha256("\n".join(sorted(f"{p.n3()} {o.n3()}" for _, p, o in triples))
                                    .encode("utf-8", "surrogatepass")).digest()[:16]
            before = self._digests.get(subject)
            if before is None:
                self._digests[subject] = digest, len(self._wheres) - 1
                new.extend(triples)
            elif before[0] != digest:
                said = ", ".join(sorted({o.n3() for _, _, o in triples if isinstance(o, Literal)})[:6])
                raise PlanlodError(f"the catalog describes {subject} in two ways: not as {self._wheres[before[1]]} "
                                   f"does (a different name or label; here: {said})",
                                   where=self._wheres[-1],
                                   hint="reports of one publisher or place must describe it alike in their "
                                        "metadata ([publisher])")
        return new

    def finish(self) -> None:
        ctx = self._ctx
        ctx.catalog_outcome = self._checks.outcome()
        if not ctx.catalog_outcome.conforms:
            raise PlanlodError(
                "the DCAT catalog does not conform to DCAT-AP 3.0.1:\n" + ctx.catalog_outcome.text(),
                hint="check the [publication] and [publisher] tables of the metadata",
            )
        if self._turtle is not None:
            # rdflib encodes with "replace": what UTF-8 cannot carry (a lone surrogate) becomes "?"
            write_chunks(ctx, "catalog.ttl", self._turtle.chunks(), errors="replace")
        elif self._graph is not None:
            write_chunks(ctx, "catalog.ttl", [rdflib_turtle(self._graph)])
        else:
            raise RuntimeError("planlod's Turtle writer declined the catalog, whose graph was not kept")
        write_chunks(ctx, "catalog.jsonld", self._jsonld.chunks(), errors="replace")   # as rdflib's JSON-LD
        ctx.catalog = self._graph
        for spool in self._spools:
            spool.close()
        shutil.rmtree(self._spool, ignore_errors=True)


class _PartChecks:
    """DCAT-AP's violations in the parts, found part by part (the module's docstring says why that is enough)."""

    def __init__(self) -> None:
        self._rules = compiled(*DCAT_AP_SHAPES)
        self._types: dict[Node, tuple[Node, ...]] = {}   # of the nodes the parts so far described
        self._pointed: set[Node] = set()   # nodes pointed to before a part described them (not to come later)
        self._violations: dict[Result, None] = {}   # in the order found
        self._labels: dict[Node, str] = {}   # of their focus nodes

    def check(self, part: Graph) -> None:
        described = set(part.subjects())
        if not described.isdisjoint(self._pointed):
            raise RuntimeError(f"a catalog part describes {min(described & self._pointed, key=str)}, which an "
                               "earlier part pointed to: that part was checked without it")
        stubs: list[Triple] = []
        for obj in set(part.objects()) - described:
            if obj in self._types:
                stubs.extend((obj, RDF.type, t) for t in self._types[obj])
            elif isinstance(obj, URIRef):
                self._pointed.add(obj)
        for result in check_triples(Facts(chain(part, stubs)), self._rules.shapes):
            if result.focus in described and result.severity == SH.Violation:
                self._violations[result] = None
                self._labels[result.focus] = str(part.value(result.focus, SKOS.prefLabel) or "")
        for subject in described:
            self._types.setdefault(subject, tuple(part.objects(subject, RDF.type)))

    def outcome(self) -> Outcome:
        """The violations (warnings, for recommended properties and EU code lists, are not kept: at ~8 a report
        they would be ~80,000 at national scale, and nothing publishes them)."""
        return outcome_of(list(self._violations), self._rules, label=self._labels.__getitem__)


class _JsonLdNodes:
    """rdflib's JSON-LD (compacted with planlod's context), sorted as serialize_graph sorts it: a node object per
    subject, the document's @graph in the order of their compact text (which begins with whichever key sorts
    first: planlod's context calls @id "id"). Only the start of each text is held for the sort; nodes whose
    starts are equal are read back from the spool and ordered by their whole text."""

    KEY_CHARS = 128

    def __init__(self, spool: FileBlocks) -> None:
        self._spool = spool
        self._placed: list[tuple[str, tuple[int, int]]] = []
        # rdflib's serializer reads the context for every graph (~10% of the catalog's time) and gives text
        self._context = Context(jsonld_context())

    def add(self, triples: Iterable[Triple]) -> None:
        graph = Graph(store="SimpleMemory")
        for triple in triples:
            graph.add(triple)
        if not len(graph):
            return
        # as Graph.serialize(format="json-ld", context=…, auto_compact=True) makes it (its use_native_types is
        # a one-element tuple, true: the active context makes it so anyway)
        document = from_rdf(graph, self._context, None, True, False, auto_compact=True)  # type: ignore[no-untyped-call]
        nodes = document["@graph"] if "@graph" in document else [{k: v for k, v in document.items()
                                                                    if k != "@context"}]
        for node in nodes:
            text = json.dumps(sorted_json(node), ensure_ascii=False, sort_keys=True)
            self._placed.append((text[:self.KEY_CHARS], self._spool.put(text)))

    def _in_order(self) -> Iterator[str]:
        self._placed.sort()
        start = 0
        while start < len(self._placed):
            end = start + 1
            while end < len(self._placed) and self._placed[end][0] == self._placed[start][0]:
                end += 1
            yield from sorted(self._spool.get(handle) for _, handle in self._placed[start:end])
            start = end

    def chunks(self) -> Iterator[str]:
        """The document as json.dumps(indent=2, sort_keys=True) writes {"@context": …, "@graph": [nodes]}."""
        context = json.dumps(jsonld_context(), ensure_ascii=False, indent=2, sort_keys=True).replace("\n", "\n  ")
        yield '{\n  "@context": ' + context + ',\n  "@graph": [\n'
        for i, text in enumerate(self._in_order()):
            node = json.dumps(json.loads(text), ensure_ascii=False, indent=2, sort_keys=True)
            yield (",\n    " if i else "    ") + node.replace("\n", "\n    ")
        yield "\n  ]\n}\n"


__all__ = ["SPOOL_DIR", "CatalogFiles", "write_catalog"]
