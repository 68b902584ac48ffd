"""One page per resource of the data: doc/<path>/index.html with index.ttl and index.jsonld beside it."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, SKOS

from ..cells import fiscal_year_label
from ..vocab import PLANLOD, SDMX_DIMENSION, bind_prefixes
from .catalog import report_page
from .editions import CHANGE_WORDS, Edition, changes_name
from .index import GraphIndex
from .render import Renderer, root_of

CHILD_HEADINGS = {
    PLANLOD.Plan: "目標 Goals",
    PLANLOD.Goal: "施策 Policies",
    PLANLOD.Policy: "取組 Measures",
    PLANLOD.Measure: "事業 Projects",
    PLANLOD.Project: "事業内容 Activities",
}


def result_css(index: GraphIndex, concept: Any) -> str:
    pivots = [*index.values(concept, SKOS.exactMatch), *index.values(concept, SKOS.broadMatch)]
    return "result-met" if PLANLOD.met in pivots else "result-notmet" if PLANLOD.notMet in pivots else ""


def description(index: GraphIndex, node: URIRef) -> Graph:
    """The resource's own triples and the ones pointing at it: links both ways, in RDF too."""
    graph = bind_prefixes(Graph())
    for p, o in index.outgoing.get(node, ()):
        graph.add((node, p, o))
    for p, s in index.incoming.get(node, ()):
        graph.add((s, p, node))
    return graph


def tally_under(index: GraphIndex) -> dict[URIRef, Counter[str]]:
    """For every plan element, how many evaluations beneath it met or did not meet their target."""
    counts: dict[URIRef, Counter[str]] = defaultdict(Counter)
    for evaluation in index.graph.subjects(RDF.type, PLANLOD.Evaluation):
        activity = index.value(evaluation, PLANLOD.activity)
        css = result_css(index, index.value(evaluation, PLANLOD.result))
        if isinstance(activity, URIRef):
            for node in [activity, *index.ancestors(activity)]:
                counts[node][css] += 1
    return counts


def write_resource_pages(renderer: Renderer, *, new_only: bool = False) -> list[str]:
    """A page per resource of the renderer's graph that has a document path; with `new_only`, only those
    without a page yet (the catalog's, VoID's and the reports' resources, after the data's). The pages written."""
    ctx, index = renderer.ctx, renderer.index
    counts = tally_under(index)
    written: list[str] = []
    for node in sorted(index.outgoing, key=index.sort_key):
        doc = ctx.doc_path(str(node))
        if doc is None or (new_only and doc in ctx.files):
            continue
        page = doc
        folder = doc.rsplit("/", 1)[0]
        graph = description(index, node)
        values: dict[str, Any] = {
            "title": index.label(node),
            "title_en": index.literal(node, lang="en", strict=True) or "",
            "iri": str(node),
            "types": sorted(renderer.term_label(t) for t in index.types.get(node, ())),
            "alternates": renderer.twins(folder, graph),
            "jsonld": renderer.embedded(graph),
            "crumbs": [{"label": "ホーム", "href": root_of(page) + "index.html"}]
            + [{"label": index.label(a), "href": renderer.href(page, a) or ""} for a in index.ancestors(node)],
            "properties": _properties(renderer, page, node),
            "incoming": _incoming(renderer, page, node),
            "children": [],
            "children_heading": "",
            "evaluations": [],
            "activities": [],
            "editions": _editions(renderer, page, ctx.editions.get(node, [])),
        }
        kind = next((k for k in CHILD_HEADINGS if index.is_a(node, k)), None)
        if kind is not None:
            values["children_heading"] = CHILD_HEADINGS[kind]
            values["children"] = [
                {
                    "notation": str(index.value(c, SKOS.notation) or ""),
                    "label": index.label(c),
                    "href": renderer.href(page, c),
                    "met": counts[c]["result-met"],
                    "notmet": counts[c]["result-notmet"],
                    "covid": index.value(c, PLANLOD.covidAffected) == Literal(True),
                }
                for c in index.narrower.get(node, [])
            ]
        if index.is_a(node, PLANLOD.Activity):
            values["evaluations"] = _evaluations(renderer, page, node)
        if index.is_a(node, ORG.OrganizationalUnit):
            values["activities"] = _unit_activities(renderer, page, node)
        renderer.page(page, "resource.html", **values)
        written.append(page)
    return written


def _editions(renderer: Renderer, page: str, editions: list[Edition]) -> list[dict[str, Any]]:
    """A plan's editions over time, each with what changed since the one before."""
    root = root_of(page)
    return [{
        "year": f"{fiscal_year_label(e.report.table.fiscal_year or 0)} FY{e.report.table.fiscal_year}",
        "href": root + report_page(e.report), "evaluations": e.evaluations, "met": e.met, "not_met": e.not_met,
        "rate": e.rate, "first": i == 0,
        "summary": ", ".join(f"{CHANGE_WORDS[k]} {n}" for k, n in sorted(e.change_counts.items()))
        or "変化なし no change",
        "changes": [{"kind": CHANGE_WORDS[c.kind], "notation": c.notation, "href": renderer.href(page, c.element),
                     "before": c.before, "after": c.after} for c in e.changes],
        "changes_href": root + changes_name(e.report) if changes_name(e.report) in renderer.ctx.files else "",
    } for i, e in enumerate(editions)]


def _properties(renderer: Renderer, page: str, node: URIRef) -> list[dict[str, Any]]:
    grouped: dict[URIRef, list[Any]] = defaultdict(list)
    for p, o in renderer.index.outgoing.get(node, ()):
        grouped[p].append(o)
    return [
        {"label": renderer.term_label(p), "iri": str(p), "objects": [renderer.value(page, o) for o in objs]}
        for p, objs in grouped.items()
    ]


def _incoming(renderer: Renderer, page: str, node: URIRef) -> list[dict[str, Any]]:
    grouped: dict[URIRef, list[URIRef]] = defaultdict(list)
    for p, s in renderer.index.incoming.get(node, ()):
        grouped[p].append(s)
    return [
        {
            "label": renderer.term_label(p),
            "objects": [renderer.value(page, s) for s in sorted(subjects, key=renderer.index.sort_key)],
        }
        for p, subjects in grouped.items()
    ]


def _evaluations(renderer: Renderer, page: str, activity: URIRef) -> list[dict[str, Any]]:
    index, rows = renderer.index, []
    for p, obs in index.incoming.get(activity, ()):
        if p != PLANLOD.activity:
            continue
        period = index.value(obs, SDMX_DIMENSION.refPeriod)
        year = int(str(period).rsplit("/", 1)[1]) if period is not None else 0
        result = index.value(obs, PLANLOD.result)
        rows.append(
            {
                "year_sort": year,
                "year": f"{fiscal_year_label(year)} FY{year}",
                "href": renderer.href(page, obs),
                "target": str(index.value(obs, PLANLOD.target) or ""),
                "actual": str(index.value(obs, PLANLOD.actual) or index.value(obs, PLANLOD.referenceActual)
                              or ""),
                "result": index.label(result) if result is not None else "(参考)",
                "css": result_css(index, result),
                "direction": str(index.value(obs, PLANLOD.issuesAndDirection) or ""),
            }
        )
    return sorted(rows, key=lambda r: -r["year_sort"])


def _unit_activities(renderer: Renderer, page: str, unit: URIRef) -> list[dict[str, Any]]:
    index, rows = renderer.index, []
    for p, activity in index.incoming.get(unit, ()):
        if p != PLANLOD.responsibleUnit:
            continue
        evaluation = next(
            (
                s
                for q, s in index.incoming.get(activity, ())
                if q == PLANLOD.activity and index.is_a(s, PLANLOD.Evaluation)
            ),
            None,
        )
        result = index.value(evaluation, PLANLOD.result) if evaluation is not None else None
        project = index.value(activity, SKOS.broader)
        rows.append(
            {
                "label": index.label(activity),
                "href": renderer.href(page, activity),
                "project": index.label(project) if project is not None else "",
                "result": index.label(result) if result is not None else "",
                "css": result_css(index, result),
                "sort": index.sort_key(activity),
            }
        )
    return sorted(rows, key=lambda r: r["sort"])
