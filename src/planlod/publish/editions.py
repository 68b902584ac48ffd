"""The editions of each plan side by side: what each year evaluated, and what differs from the year before.

Two editions of a plan share its resources (goal … activity IRIs), so what changed between them is
found by comparing the two report graphs: elements that appear or are absent (added or ended, or in a
partial sample merely unread), titles that changed, evaluations that crossed the pivot. It is recorded
(on the plan's page and in `data/<series>-changes.csv`), never an error: a plan may rename a measure or
end a project from one year to the next.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from ..collection import Report
from ..tallies import met_rate, pivot_counts, rate_text
from ..vocab import PLANLOD
from .context import PublishContext
from .files import write_file

ELEMENT_TYPES = (PLANLOD.Goal, PLANLOD.Policy, PLANLOD.Measure, PLANLOD.Project, PLANLOD.Activity)
# 'appears' / 'absent' rather than added / ended: in a partial sample an element may only be unread.
CHANGE_WORDS = {"appears": "今版に登場 appears", "absent": "今版になし absent", "retitled": "名称変更 retitled",
                "now met": "達成に変化 now met", "no longer met": "未達成に変化 no longer met"}


@dataclass(frozen=True, slots=True)
class Change:
    kind: str            # appears, absent, retitled, now met, no longer met
    element: URIRef
    notation: str
    before: str          # the earlier edition's title (or pivot)
    after: str


@dataclass(frozen=True)
class Edition:
    report: Report
    evaluations: int
    met: int
    not_met: int
    changes: tuple[Change, ...]      # against the edition before it ('' for the first)

    @property
    def rate(self) -> str:
        return rate_text(met_rate(self.met, self.not_met))

    @property
    def change_counts(self) -> Counter[str]:
        return Counter(change.kind for change in self.changes)


def _elements(graph: Graph, plan: URIRef) -> dict[URIRef, tuple[str, str]]:
    """Every element of the plan in one report: IRI -> (notation, Japanese title)."""
    found = {}
    for element in graph.subjects(SKOS.inScheme, plan):
        if isinstance(element, URIRef) and any((element, RDF.type, t) in graph for t in ELEMENT_TYPES):
            titles = [str(o) for o in graph.objects(element, SKOS.prefLabel)
                      if isinstance(o, Literal) and o.language == "ja"]
            found[element] = (str(graph.value(element, SKOS.notation) or ""), min(titles, default=""))
    return found


def _pivots(graph: Graph) -> dict[URIRef, URIRef]:
    """Evaluated element -> the pivot its evaluation maps to."""
    pivots = {}
    for evaluation in graph.subjects(RDF.type, PLANLOD.Evaluation):
        element, result = graph.value(evaluation, PLANLOD.activity), graph.value(evaluation, PLANLOD.result)
        for match in (SKOS.exactMatch, SKOS.broadMatch):
            pivot = graph.value(result, match) if result is not None else None
            if isinstance(element, URIRef) and isinstance(pivot, URIRef):
                pivots[element] = pivot
    return pivots


def edition_changes(earlier: Report, later: Report) -> tuple[Change, ...]:
    plan = later.iris.plan()
    before, after = _elements(earlier.graph, plan), _elements(later.graph, plan)
    changes = [Change("appears", e, after[e][0], "", after[e][1]) for e in after.keys() - before.keys()]
    changes += [Change("absent", e, before[e][0], before[e][1], "") for e in before.keys() - after.keys()]
    changes += [Change("retitled", e, after[e][0], before[e][1], after[e][1]) for e in before.keys() & after.keys()
                if before[e][1] and after[e][1] and before[e][1] != after[e][1]]
    old, new = _pivots(earlier.graph), _pivots(later.graph)
    for element in old.keys() & new.keys():
        if old[element] != new[element] and PLANLOD.met in (old[element], new[element]):
            kind = "now met" if new[element] == PLANLOD.met else "no longer met"
            notation = after.get(element, ("", ""))[0]
            changes.append(Change(kind, element, notation, _pivot_word(old[element]), _pivot_word(new[element])))
    return tuple(sorted(changes, key=lambda c: (c.kind, c.notation, str(c.element))))


def _pivot_word(pivot: URIRef) -> str:
    return "達成 met" if pivot == PLANLOD.met else "未達成 not met"


def editions_by_plan(reports: tuple[Report, ...]) -> dict[URIRef, list[Edition]]:
    """Each plan's editions in fiscal-year order, each with its changes against the one before."""
    by_plan: dict[URIRef, list[Report]] = {}
    for report in sorted(reports, key=lambda r: r.table.fiscal_year or 0):
        by_plan.setdefault(report.iris.plan(), []).append(report)
    editions: dict[URIRef, list[Edition]] = {}
    for plan, series in by_plan.items():
        editions[plan] = []
        for i, report in enumerate(series):
            pivots = pivot_counts(report.table)
            changes = edition_changes(series[i - 1], report) if i else ()
            editions[plan].append(Edition(report, len(report.table.activities), pivots["met"], pivots["not-met"],
                                          changes))
    return editions


def changes_name(report: Report) -> str:
    return f"data/{report.series_id}-changes.csv"


def write_edition_changes(ctx: PublishContext) -> None:
    """data/<series>-changes.csv for each plan with more than one edition; the editions are kept in the
    context for the plan pages, so the report graphs are compared once."""
    ctx.editions = editions_by_plan(ctx.reports)
    for editions in ctx.editions.values():
        if len(editions) < 2:
            continue
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["from_fiscal_year", "to_fiscal_year", "change", "notation", "iri", "before", "after"])
        for previous, edition in zip(editions, editions[1:], strict=False):
            for change in edition.changes:
                writer.writerow([previous.report.table.fiscal_year, edition.report.table.fiscal_year, change.kind,
                                 change.notation, str(change.element), change.before, change.after])
        write_file(ctx, changes_name(editions[0].report), out.getvalue())
