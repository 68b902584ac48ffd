"""The site search: search/index.json (names and departments of everything with a page that a reader looks
for: reports, plans and their elements, activities, departments) and search/index.html, which filters it in
the browser (assets/tables.js). Prebuilt, so it works on any static host."""

from __future__ import annotations

import json

from rdflib import URIRef
from rdflib.namespace import ORG, SKOS

from ..vocab import PLANLOD
from .files import write_file
from .index import GraphIndex
from .render import Renderer

KINDS = ((PLANLOD.ProgressReport, "報告 report"), (PLANLOD.Plan, "計画 plan"), (PLANLOD.Goal, "目標 goal"),
         (PLANLOD.Policy, "施策 policy"), (PLANLOD.Measure, "取組 measure"), (PLANLOD.Project, "事業 project"),
         (PLANLOD.Activity, "事業内容 activity"), (ORG.OrganizationalUnit, "担当課 department"))
PAGE = "search/index.html"


def entries(renderer: Renderer) -> list[dict[str, str]]:
    ctx, index = renderer.ctx, renderer.index
    found = []
    for node in sorted(index.types, key=index.sort_key):
        kind = next((word for cls, word in KINDS if index.is_a(node, cls)), None)
        doc = ctx.doc_path(str(node))
        if kind is None or doc is None:
            continue
        label = index.label(node)
        english = index.literal(node, lang="en", strict=True) or ""
        notation = str(index.value(node, SKOS.notation) or "")
        context = _context(index, node)
        found.append({"label": f"{notation} {label}".strip(), "kind": kind, "context": context,
                      "href": doc,
                      "text": " ".join(t for t in (notation, label, english, context) if t)})
    return found


def _context(index: GraphIndex, node: URIRef) -> str:
    """Where a thing sits, to tell like names apart: its department, or its plan."""
    for prop in (PLANLOD.responsibleUnit, ORG.unitOf):
        found = index.value(node, prop)
        if found is not None:
            return index.label(found)
    chain = index.ancestors(node)
    return index.label(chain[0]) if chain and chain[0] != node else ""


def write_search(renderer: Renderer) -> None:
    found = entries(renderer)
    write_file(renderer.ctx, "search/index.json", json.dumps(found, ensure_ascii=False, indent=0) + "\n")
    renderer.page(PAGE, "search.html", title="検索", title_en="Search", count=len(found),
                  crumbs=[{"label": "ホーム Home", "href": "../index.html"}])
