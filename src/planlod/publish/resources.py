"""One page per resource of the data: doc/<path>/index.html with index.ttl and index.jsonld beside it."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import ORG, SKOS

from ..cells import fiscal_year_label
from ..editions import Edition
from ..vocab import PLANLOD, SDMX_DIMENSION, bind_prefixes
from .catalog import report_page_path
from .editions import CHANGE_WORDS
from .figures import Figures
from .index import GraphIndex
from .render import Renderer, rel, root_of

HIERARCHY = (PLANLOD.Plan, PLANLOD.Goal, PLANLOD.Policy, PLANLOD.Measure, PLANLOD.Project, PLANLOD.Activity)


def description(index: GraphIndex, node: URIRef) -> Graph:
    """The resource's own triples and the ones pointing at it: links both ways, in RDF too."""
    graph = bind_prefixes(Graph())
    for p, o in index.outgoing.get(node, ()):
        graph.add((node, p, o))
    for p, s in index.incoming.get(node, ()):
        graph.add((s, p, node))
    return graph


def write_resource_pages(renderer: Renderer, *, new_only: bool = False) -> list[str]:
    """A page per resource of the renderer's graph that has a document path; with `new_only`, only those
    without a page yet (the catalog's, VoID's and the reports' resources, after the data's). The pages written."""
    ctx, index = renderer.ctx, renderer.index
    written: list[str] = []
    for node in sorted(index.outgoing, key=index.sort_key):
        doc = ctx.doc_path(str(node))
        if doc is None or (new_only and doc in ctx.files):
            continue
        write_resource_page(renderer, node, doc)
        written.append(doc)
    return written


def write_resource_page(renderer: Renderer, node: URIRef, page: str, notice: str = "") -> None:
    """The page of one resource (doc/…/index.html) with its Turtle and JSON-LD twins, from the renderer's
    graph: the whole collection's when the site is built, a few reports' when `planlod serve` renders a
    large collection's page on demand (planlod.serve.pages), with a `notice` of what it leaves out."""
    ctx, index = renderer.ctx, renderer.index
    figures = Figures.of(renderer)
    folder = page.rsplit("/", 1)[0]
    graph = description(index, node)
    values: dict[str, Any] = {
        "title": index.label(node),
        "title_en": index.literal(node, lang="en", strict=True) or "",
        "iri": str(node),
        "types": sorted(renderer.term_label(t) for t in index.types.get(node, ())),
        "alternates": renderer.twins(folder, graph),
        "jsonld": renderer.embedded(graph),
        "crumbs": [{"label": "ホーム Home", "href": root_of(page) + "index.html"}]
        + [{"label": index.label(a), "href": renderer.href(page, a) or ""} for a in index.ancestors(node)],
        "properties": _properties(renderer, page, node),
        "editions": _editions(renderer, page, ctx.editions.get(node, [])),
        "findings": figures.findings.get(node, []),
        "notice": notice,
        **_figures(figures, page, node),
    }
    values["incoming"] = _incoming(renderer, page, node, hidden=values.pop("shown"))
    renderer.page(page, "resource.html", **values)


def _figures(figures: Figures, page: str, node: URIRef) -> dict[str, Any]:
    """What the page shows of the data, by the kind of thing it is about; `shown`: the links to it that
    its tables already show (not listed again under 'referenced by')."""
    index = figures.renderer.index
    found: dict[str, Any] = {"tally": None, "tree": [], "tree_year": "", "rows": [], "columns": set(),
                             "correction": None, "corrects": [], "shown": set()}
    evaluations: list[URIRef] = []
    if any(index.is_a(node, k) for k in HIERARCHY):
        evaluations = figures.under(node)
        found["shown"] = {SKOS.broader, SKOS.inScheme, SKOS.hasTopConcept, SKOS.member, PLANLOD.activity}
        if not index.is_a(node, PLANLOD.Activity) and not index.is_a(node, PLANLOD.Project):
            years = sorted({figures.year_of(e) for e in evaluations})
            found["tree"] = figures.tree(page, node)
            found["tree_year"] = " – ".join(f"FY{y}" for y in (years[0], years[-1]) if y) if len(years) > 1 \
                else f"{fiscal_year_label(years[0])} FY{years[0]}" if years else ""
        if not (index.is_a(node, PLANLOD.Plan) or index.is_a(node, PLANLOD.Goal) or index.is_a(node, PLANLOD.Policy)):
            found["rows"] = figures.rows(page, evaluations)
            found["columns"] = {"department"} | ({"direction"} if index.is_a(node, PLANLOD.Activity)
                                                 or index.is_a(node, PLANLOD.Project) else set())
    elif index.is_a(node, ORG.OrganizationalUnit):
        evaluations = figures.of_unit(node)
        found["rows"] = figures.rows(page, evaluations, shortfalls_first=True)
        found["columns"] = {"project"}
        found["shown"] = {PLANLOD.responsibleUnit}
    elif index.is_a(node, PLANLOD.FiscalYear):
        evaluations = figures.by_year.get(node, [])
        found["rows"] = figures.rows(page, evaluations)
        found["columns"] = {"department"} | ({"report"} if len({figures.report_of(e) for e in evaluations}) > 1
                                             else set())
        found["shown"] = {SDMX_DIMENSION.refPeriod}
    elif index.is_a(node, PLANLOD.ProgressReport):
        evaluations = figures.of_report(node)
        found["rows"] = figures.rows(page, evaluations)
        found["columns"] = {"department"}
    elif index.is_a(node, PLANLOD.Correction):
        found["correction"] = figures.correction(node)
        found["corrects"] = figures.corrects(page, node)
    if evaluations:
        found["tally"] = figures.tally(evaluations)
    if len({r["year"] for r in found["rows"]}) > 1:
        found["columns"].add("year")
    return found


def _editions(renderer: Renderer, page: str, editions: list[Edition]) -> list[dict[str, Any]]:
    """A plan's editions over time, each with what changed since the one before. Each links its report's page,
    or on a large site (no report pages) its report's resource page, which `planlod serve` renders."""
    root, ctx = root_of(page), renderer.ctx
    return [{
        "year": f"{fiscal_year_label(e.fiscal_year)} FY{e.fiscal_year}",
        "href": (root + report_page_path(e.dataset_id) if ctx.pages
                 else rel(page, ctx.doc_path(str(e.report_iri)) or "")),
        "evaluations": e.evaluations, "met": e.met, "not_met": e.not_met, "rate": e.rate, "first": i == 0,
        "summary": ", ".join(f"{CHANGE_WORDS[k]} {n}" for k, n in sorted(e.change_counts.items()))
        or "変化なし no change",
        "changes": [{"kind": CHANGE_WORDS[c.kind], "notation": c.notation, "href": renderer.href(page, c.element),
                     "before": c.before, "after": c.after} for c in e.changes],
        "changes_href": root + e.changes_path if e.changes_path else "",   # written with the editions
    } for i, e in enumerate(editions)]


def _properties(renderer: Renderer, page: str, node: URIRef) -> list[dict[str, Any]]:
    grouped: dict[URIRef, list[Any]] = defaultdict(list)
    for p, o in renderer.index.outgoing.get(node, ()):
        grouped[p].append(o)
    return [
        {"label": renderer.term_label(p), "iri": str(p), "objects": [renderer.value(page, o) for o in objs]}
        for p, objs in grouped.items()
    ]


def _incoming(renderer: Renderer, page: str, node: URIRef, hidden: set[URIRef]) -> list[dict[str, Any]]:
    grouped: dict[URIRef, list[URIRef]] = defaultdict(list)
    for p, s in renderer.index.incoming.get(node, ()):
        if p not in hidden:
            grouped[p].append(s)
    return [
        {
            "label": renderer.term_label(p),
            "objects": [renderer.value(page, s) for s in sorted(subjects, key=renderer.index.sort_key)],
        }
        for p, subjects in grouped.items()
    ]
