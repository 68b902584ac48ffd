"""A large collection's resource pages, rendered on demand from its on-disk store (issue 10).

A large site has no per-resource pages (planlod.large); `planlod serve` renders one when it is asked for,
in a SPARQL worker (network cut, memory capped, stopped at the query time limit), with the same template
and code as the small path (publish.resources.write_resource_page), from the report graphs that describe
the resource: each report's named graph holds its plan, activities, evaluations, departments and years,
so the page shows what the small path's page shows of those reports. The store is read through
Oxigraph's pattern API with the IRI as a term, never through query text made from the request.

The triples come from the reports' own N-Triples dumps, found through the store's named graphs (the
store keeps literals' values, not their forms: see _whole_reports).

The validation's findings on those reports are found again by the same compiled shapes.

Bounds: a resource described in more than MAX_GRAPHS reports (a fiscal year, a prefecture shared by a
thousand reports), or whose reports hold more than MAX_TRIPLES triples, gets the page of its own triples,
the links to it (at most MAX_LINKS) and the names and kinds of what they link, read from the store (numbers
in their canonical form), with a notice: no tables of evaluations, no findings.
Not shown on demand: a plan's editions and the meaning of a source's ※ legend (read from the records).
"""

from __future__ import annotations

import json
import re
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from ..errors import PlanlodError

SITE_INFO = ".planlod.json"   # in the site folder, beside .store/: the base IRI and site URL of the data
MAX_GRAPHS = 16
MAX_TRIPLES = 250_000
MAX_LINKS = 2_000
PAGE_FILES = ("index.html", "index.ttl", "index.jsonld")
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def write_site_info(site: Path, base: str, site_url: str) -> None:
    (site / SITE_INFO).write_text(json.dumps({"base": base, "site_url": site_url}, sort_keys=True) + "\n",
                                  encoding="utf-8")


def read_site_info(site: Path) -> tuple[str, str] | None:
    """(base IRI, site URL) of a large site, or None for a site without a store."""
    try:
        info = json.loads((site / SITE_INFO).read_text(encoding="utf-8"))
        return str(info["base"]), str(info["site_url"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _as_rdflib(triple: tuple[Any, Any, Any]) -> Any:
    from ..shacl import _term

    return tuple(_term(t) for t in triple)


def _report_graphs(store: Any, subject: Any) -> list[Any] | None:
    """The named graphs (reports) that say something of `subject`; None when there are too many."""
    graphs: set[Any] = set()
    for quad in store.quads_for_pattern(subject, None, None, None):
        graphs.add(quad.graph_name)
        if len(graphs) > MAX_GRAPHS:
            return None
    return sorted(graphs, key=str)


def _whole_reports(graphs: list[Any], base: str, data: Path) -> list[list[tuple[Any, Any, Any]]] | None:
    """Each report's triples, read from its N-Triples dump (data/{dataset id}.nt): Oxigraph keeps a
    literal's value, not its form ('120.0'^^xsd:decimal comes back as '120', xsd:positiveInteger as
    xsd:integer), and the page and its twins must say what the dumps say. None past MAX_TRIPLES."""
    import pyoxigraph as ox

    prefix, count = base + "id/dataset/", 0
    reports = []
    for graph in graphs:
        name = graph.value if isinstance(graph, ox.NamedNode) else str(graph)
        dataset_id = name[len(prefix):] if name.startswith(prefix) else ""
        dump = data / f"{dataset_id}.nt"
        if not _SAFE_ID.fullmatch(dataset_id) or not dump.is_file():
            raise PlanlodError(f"the store has a graph {name} without its dump {dump.name}", where=str(data),
                               hint="build the site again: its store and its dumps do not belong together")
        triples = [(t.subject, t.predicate, t.object) for t in ox.parse(path=dump, format=ox.RdfFormat.N_TRIPLES)]
        count += len(triples)
        if count > MAX_TRIPLES:
            return None
        reports.append(triples)
    return reports


def _findings(reports: list[list[tuple[Any, ...]]]) -> tuple[Any, ...]:
    """The validation's findings on these reports, found again by the compiled shapes the build ran
    (deterministic: the same findings as the site's validation report)."""
    from ..validate import validate_triples

    return tuple(issue for triples in reports for issue in validate_triples(triples).issues)


def _neighbourhood(store: Any, subject: Any) -> list[tuple[Any, Any, Any]]:
    """The subject's own triples, at most MAX_LINKS links to it, and the names and kinds of its neighbours."""
    import pyoxigraph as ox

    from ..publish.index import LABEL_PROPS

    triples = [(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(subject, None, None, None)]
    for n, quad in enumerate(store.quads_for_pattern(None, None, subject, None)):
        if n == MAX_LINKS:
            break
        triples.append((quad.subject, quad.predicate, quad.object))
    from rdflib.namespace import RDF

    describing = [ox.NamedNode(str(p)) for p in (*LABEL_PROPS, RDF.type)]
    neighbours = {t for s, _, o in triples for t in (s, o) if isinstance(t, ox.NamedNode) and t != subject}
    for node in sorted(neighbours, key=str):
        for predicate in describing:
            triples.extend((q.subject, q.predicate, q.object)
                           for q in store.quads_for_pattern(node, predicate, None, None))
    return triples


class RenderedPages:
    """The pages rendered on demand, the KEPT most recently asked for kept in memory (None: no such thing)."""

    KEPT = 256

    def __init__(self, base: str, site_url: str) -> None:
        self.base, self.site_url = base, site_url
        self.kept: OrderedDict[str, dict[str, bytes] | None] = OrderedDict()   # newest last
        self.lock = threading.Lock()

    def files(self, engine: Any, rest: str, arrived: float) -> dict[str, bytes] | None:
        """The page of {base}id/{rest} and its twins, rendered by one of `engine`'s workers when not kept."""
        with self.lock:
            if rest in self.kept:
                self.kept.move_to_end(rest)
                return self.kept[rest]
        found: dict[str, bytes] | None = engine.page(self.base + "id/" + rest, self.base, self.site_url, arrived)
        with self.lock:
            self.kept[rest] = found
            while len(self.kept) > self.KEPT:
                self.kept.popitem(last=False)
        return found


def render_page(store: Any, iri: str, base: str, site_url: str, data: Path) -> dict[str, bytes] | None:
    """The page of `iri` and its Turtle / JSON-LD twins by file name, or None if the store has nothing on it;
    `data`: the site's data folder (the reports' N-Triples dumps)."""
    import pyoxigraph as ox
    from rdflib import Graph, URIRef

    from ..publish.context import PublishContext
    from ..publish.index import GraphIndex
    from ..publish.render import Renderer
    from ..publish.resources import write_resource_page
    from ..validate import Outcome
    from ..vocab import bind_prefixes

    try:
        subject = ox.NamedNode(iri)
    except ValueError:
        return None
    graphs = _report_graphs(store, subject)
    if graphs == []:
        return None
    reports = _whole_reports(graphs, base, data) if graphs else None
    if reports is not None:
        triples = [_as_rdflib(t) for report in reports for t in report]
        issues = _findings([[_as_rdflib(t) for t in report] for report in reports])
        notice = ""
    else:
        triples = [_as_rdflib(t) for t in _neighbourhood(store, subject)]
        issues = ()
        notice = ("この資源を記述する報告が多すぎる(または大きすぎる)ため、このページは評価の表と検証の指摘を示さず、"
                  f"参照は最大{MAX_LINKS:,}件です。全体はSPARQLで。 Too many (or too large) reports describe this "
                  "resource: this page shows no tables of evaluations nor validation findings, and at most "
                  f"{MAX_LINKS:,} links to it; query SPARQL for all of them.")
    graph = bind_prefixes(Graph())
    for triple in triples:
        graph.add(triple)
    with tempfile.TemporaryDirectory(prefix="planlod-page-") as folder:
        ctx = PublishContext((), graph, Outcome(True, Graph(), issues), None, base, site_url,  # type: ignore[arg-type]
                             Path(folder), pages=False)
        page = ctx.doc_path(iri)
        if page is None:
            return None
        write_resource_page(Renderer(ctx, GraphIndex.of(graph)), URIRef(iri), page, notice)
        where = Path(folder) / page.rsplit("/", 1)[0]
        return {name: (where / name).read_bytes() for name in PAGE_FILES}


__all__ = ["MAX_GRAPHS", "MAX_LINKS", "MAX_TRIPLES", "SITE_INFO", "RenderedPages", "read_site_info", "render_page",
           "write_site_info"]
