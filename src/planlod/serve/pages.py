"""A large collection's resource pages, rendered on demand from its on-disk store (issue 10).

A large site has no per-resource pages (planlod.large); `planlod serve` renders one when it is asked for,
in a SPARQL worker (network cut, memory capped, stopped at the query time limit), with the same template
and code as the small path (publish.resources.write_resource_page), from the N-Triples dumps of the
reports that describe the resource. Which reports those are follows from planlod's IRIs (graph/iris.py):
what is under a report's IRI is that report's, what is under a plan's or a ward office's IRI belongs to
the reports of that plan or ward, and anything else (a fiscal year, a city) to every report; the build
writes that map in SITE_INFO. The dumps, not the store, because Oxigraph keeps a literal's value, not
its form: '120.0'^^xsd:decimal comes back as '120', xsd:positiveInteger as xsd:integer, and the page and its
twins must say what the dumps say. The validation's findings on those reports are found again by the same
compiled shapes. The store only says whether the resource exists and, past the bounds, what is linked.

Bounds: a resource of more than MAX_REPORTS reports (a fiscal year, a city shared by many reports), or
whose reports hold more than MAX_TRIPLES triples, gets the page of its own triples, the links to it (at most
MAX_LINKS) and the names and kinds of what they link, read from the store (numbers in their canonical form),
with a notice: no tables of evaluations, no findings.
A plan's editions (each year's counts, computed from the records) and the meaning of each source's ※ legend,
which the records carry, are kept in SITE_INFO by the build; what changed between editions is read from the
plan's changes CSV (data/<series>-changes.csv), as the build wrote it.
"""

from __future__ import annotations

import json
import re
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rdflib import URIRef

from ..editions import Edition, read_changes
from ..errors import PlanlodError

SITE_INFO = ".planlod.json"   # in the site folder, beside .store/: base IRI, site URL, the reports' scopes
MAX_REPORTS = 16
MAX_TRIPLES = 250_000
MAX_LINKS = 2_000
PAGE_FILES = ("index.html", "index.ttl", "index.jsonld")
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_CHANGES_PATH = re.compile(r"data/[A-Za-z0-9][A-Za-z0-9._-]*-changes\.csv")


@dataclass(frozen=True)
class SiteInfo:
    base: str
    site_url: str
    site: Path
    scopes: dict[str, tuple[str, ...]]   # a report's, plan's or ward office's IRI -> the dataset ids under it
    datasets: tuple[str, ...]            # every report's dataset id
    covid_meanings: dict[str, str]       # a report's IRI -> the meaning its source gives ※, where it gives one
    editions: dict[str, tuple[Edition, ...]]   # a plan's IRI -> its editions in year order, without their changes

    def reports_of(self, iri: str) -> tuple[str, ...]:
        """The dataset ids of the reports that may describe `iri`: those of the nearest scope above it."""
        head = iri
        while len(head) > len(self.base):
            if head in self.scopes:
                return self.scopes[head]
            head = head.rsplit("/", 1)[0]
        return self.datasets


def write_site_info(site: Path, base: str, site_url: str, reports: list[tuple[str, str, str, str]],
                    covid_meanings: dict[str, str], editions: dict[str, list[Edition]]) -> None:
    """`reports`: (dataset id, report IRI, plan IRI, ward office IRI) of each report; `covid_meanings`: the
    meaning of ※ by report IRI, for the reports whose source defines it; `editions`: each plan's."""
    scopes: dict[str, list[str]] = {}
    for dataset_id, *iris in sorted(reports):
        for iri in iris:
            scopes.setdefault(iri, []).append(dataset_id)
    info = {"base": base, "site_url": site_url, "scopes": scopes, "datasets": sorted(r[0] for r in reports),
            "covid_meanings": covid_meanings,
            "editions": {plan: [[e.fiscal_year, e.dataset_id, str(e.report_iri), e.evaluations, e.met, e.not_met,
                                 e.changes_path] for e in series] for plan, series in editions.items()}}
    (site / SITE_INFO).write_text(json.dumps(info, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def read_site_info(site: Path) -> SiteInfo | None:
    """What a large site's pages are rendered from, or None for a site without it."""
    try:
        info = json.loads((site / SITE_INFO).read_text(encoding="utf-8"))
        return SiteInfo(str(info["base"]), str(info["site_url"]), site,
                        {str(k): tuple(map(str, v)) for k, v in info["scopes"].items()},
                        tuple(map(str, info["datasets"])),
                        {str(k): str(v) for k, v in info.get("covid_meanings", {}).items()},
                        {str(plan): tuple(Edition(int(y), str(d), URIRef(str(r)), int(n), int(m), int(u), (), str(c))
                                          for y, d, r, n, m, u, c in series)
                         for plan, series in info.get("editions", {}).items()})
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _whole_reports(dataset_ids: tuple[str, ...], data: Path) -> list[list[tuple[Any, Any, Any]]] | None:
    """Each report's triples as rdflib terms, read from its N-Triples dump (data/{dataset id}.nt); None past
    MAX_TRIPLES."""
    import pyoxigraph as ox

    from ..shacl import rdflib_term

    count, reports = 0, []
    for dataset_id in dataset_ids:
        dump = data / f"{dataset_id}.nt"
        if not _SAFE_ID.fullmatch(dataset_id) or not dump.is_file():
            raise PlanlodError(f"the site lists the report {dataset_id!r} but has no dump of it", where=str(data),
                               hint="build the site again: its store and its dumps do not belong together")
        triples = [(rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object))
                   for t in ox.parse(path=dump, format=ox.RdfFormat.N_TRIPLES)]
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
    """The subject's own triples, at most MAX_LINKS links to it, and the names and kinds of its neighbours,
    as rdflib terms."""
    import pyoxigraph as ox
    from rdflib.namespace import RDF

    from ..publish.index import LABEL_PROPS
    from ..shacl import rdflib_term

    triples = [(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(subject, None, None, None)]
    for n, quad in enumerate(store.quads_for_pattern(None, None, subject, None)):
        if n == MAX_LINKS:
            break
        triples.append((quad.subject, quad.predicate, quad.object))
    describing = [ox.NamedNode(str(p)) for p in (*LABEL_PROPS, RDF.type)]
    neighbours = {t for s, _, o in triples for t in (s, o) if isinstance(t, ox.NamedNode) and t != subject}
    for node in sorted(neighbours, key=str):
        for predicate in describing:
            triples.extend((q.subject, q.predicate, q.object)
                           for q in store.quads_for_pattern(node, predicate, None, None))
    return [(rdflib_term(s), rdflib_term(p), rdflib_term(o)) for s, p, o in triples]


class RenderedPages:
    """The pages rendered on demand, the KEPT most recently asked for kept in memory (None: no such thing)."""

    KEPT = 256

    def __init__(self, base: str) -> None:
        self.base = base
        self.kept: OrderedDict[str, dict[str, bytes] | None] = OrderedDict()   # newest last
        self.lock = threading.Lock()

    def files(self, engine: Any, rest: str, arrived: float) -> dict[str, bytes] | None:
        """The page of {base}id/{rest} and its twins, rendered by one of `engine`'s workers when not kept."""
        with self.lock:
            if rest in self.kept:
                self.kept.move_to_end(rest)
                return self.kept[rest]
        found: dict[str, bytes] | None = engine.page(self.base + "id/" + rest, arrived)
        with self.lock:
            self.kept[rest] = found
            while len(self.kept) > self.KEPT:
                self.kept.popitem(last=False)
        return found


def _editions(site: SiteInfo, iri: str) -> dict[URIRef, list[Edition]]:
    """The plan's editions, when `iri` is a plan's, with the changes its changes CSV records."""
    series = site.editions.get(iri)
    if not series:
        return {}
    path = series[0].changes_path
    try:
        if path and not _CHANGES_PATH.fullmatch(path):
            raise ValueError(f"{path!r} is not a changes CSV's place")
        changes = read_changes(site.site / path) if path else {}
    except (OSError, ValueError) as err:
        raise PlanlodError(f"the site lists editions of {iri} but cannot give their changes: {err}",
                           where=str(site.site / SITE_INFO),
                           hint="build the site again: its site information and its files do not belong together"
                           ) from None
    return {URIRef(iri): [replace(e, changes=changes.get(e.fiscal_year, ()) if i else ())
                          for i, e in enumerate(series)]}


def render_page(store: Any, iri: str, site: SiteInfo) -> dict[str, bytes] | None:
    """The page of `iri` and its Turtle / JSON-LD twins by file name, or None if the store has nothing on it."""
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
    if next(store.quads_for_pattern(subject, None, None, None), None) is None:
        return None
    scope = site.reports_of(iri)
    reports = _whole_reports(scope, site.site / "data") if len(scope) <= MAX_REPORTS else None
    if reports is not None:
        triples = [t for report in reports for t in report]
        issues = _findings(reports)
        notice = ""
    else:
        triples = _neighbourhood(store, subject)
        issues = ()
        notice = ("この資源を記述する報告が多すぎる(または大きすぎる)ため、このページは評価の表と検証の指摘を示さず、"
                  f"参照は最大{MAX_LINKS:,}件です。全体はSPARQLで。 Too many (or too large) reports describe this "
                  "resource: this page shows no tables of evaluations nor validation findings, and at most "
                  f"{MAX_LINKS:,} links to it; query SPARQL for all of them.")
    graph = bind_prefixes(Graph())
    for triple in triples:
        graph.add(triple)
    with tempfile.TemporaryDirectory(prefix="planlod-page-") as folder:
        ctx = PublishContext((), graph, Outcome(True, Graph(), issues), None,  # type: ignore[arg-type]
                             site.base, site.site_url,
                             Path(folder), pages=False, covid_meanings=site.covid_meanings,
                             editions=_editions(site, iri))
        page = ctx.doc_path(iri)
        if page is None:
            return None
        write_resource_page(Renderer(ctx, GraphIndex.of(graph)), URIRef(iri), page, notice)
        where = Path(folder) / page.rsplit("/", 1)[0]
        return {name: (where / name).read_bytes() for name in PAGE_FILES}


__all__ = ["MAX_LINKS", "MAX_REPORTS", "MAX_TRIPLES", "SITE_INFO", "RenderedPages", "SiteInfo", "read_site_info",
           "render_page", "write_site_info"]
