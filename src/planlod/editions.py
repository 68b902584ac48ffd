"""The editions of each plan side by side: what each year evaluated, and what differs from the year before.

Two editions of a plan share its resources (goal … activity IRIs), so what changed between them is
found by comparing what the two reports say of them (`EditionFacts`, read from each report's index of
triples): elements that appear or are absent (added or ended, or in a partial sample merely unread), titles
that changed, evaluations that crossed the pivot. It is recorded (on the plan's page and in
`data/<series>-changes.csv`: publish/editions.py), never an error: a plan may rename a measure or end a
project from one year to the next. The large path keeps each report's facts on disk, not its graph, and
compares a plan at a time; `planlod serve` reads the changes back from the CSV for a plan's page.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.term import Node

from .collection import Report
from .shacl.facts import Facts
from .tallies import ReportCounts, met_rate, rate_text, report_counts
from .vocab import PLANLOD

ELEMENT_TYPES = frozenset((PLANLOD.Goal, PLANLOD.Policy, PLANLOD.Measure, PLANLOD.Project, PLANLOD.Activity))
CHANGE_KINDS = ("appears", "absent", "retitled", "now met", "no longer met")
CHANGES_HEADER = ("from_fiscal_year", "to_fiscal_year", "change", "notation", "iri", "before", "after")


@dataclass(frozen=True, slots=True)
class Change:
    kind: str            # appears, absent, retitled, now met, no longer met
    element: URIRef
    notation: str
    before: str          # the earlier edition's title (or pivot)
    after: str


@dataclass(frozen=True, slots=True)
class EditionFacts:
    """What one edition says of its plan that the next is compared with: small beside its graph, so that the
    large path keeps it (on disk) where it does not keep the graph."""

    elements: dict[str, tuple[str, str]]   # every element of the plan: IRI -> (notation, Japanese title)
    pivots: dict[str, str]                 # evaluated element IRI -> the pivot its evaluation maps to

    def to_json(self) -> str:
        return json.dumps({"elements": self.elements, "pivots": self.pivots}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> EditionFacts:
        data = json.loads(text)
        return cls({k: (v[0], v[1]) for k, v in data["elements"].items()}, dict(data["pivots"]))


def edition_facts(facts: Facts, plan: URIRef) -> EditionFacts:
    """The plan's elements in one report (typed as one of ELEMENT_TYPES, in its scheme) and the pivot of each
    evaluated element, from the report's index (a report's graph: `Facts(graph)`). One pass over its subjects
    with the index's dictionaries read inline: in a large build's worker it runs on every report."""
    elements, evaluations = {}, []
    no: list[Node] = []   # what a missing predicate gives
    for node, by_p in facts.out.items():
        types = by_p.get(RDF.type)
        if types is None or not isinstance(node, URIRef):
            continue
        if PLANLOD.Evaluation in types:
            evaluations.append(node)
        elif plan in by_p.get(SKOS.inScheme, no) and not ELEMENT_TYPES.isdisjoint(types):
            titles = [str(o) for o in by_p.get(SKOS.prefLabel, no) if isinstance(o, Literal) and o.language == "ja"]
            notations = [str(o) for o in by_p.get(SKOS.notation, no)]
            elements[str(node)] = (min(notations, default=""), min(titles, default=""))
    pivots = {}
    # in IRI order: an element evaluated twice in one report gives the pivot of its last evaluation by IRI
    for evaluation in sorted(evaluations, key=str):
        by_p = facts.out[evaluation]
        for element in by_p.get(PLANLOD.activity, no)[:1]:
            for result in by_p.get(PLANLOD.result, no)[:1]:
                for match in (SKOS.exactMatch, SKOS.broadMatch):
                    for pivot in facts.objects(result, match)[:1]:
                        if isinstance(element, URIRef) and isinstance(pivot, URIRef):
                            pivots[str(element)] = str(pivot)
    return EditionFacts(elements, pivots)


@dataclass(frozen=True)
class Edition:
    fiscal_year: int
    dataset_id: str
    report_iri: URIRef
    evaluations: int
    met: int
    not_met: int
    changes: tuple[Change, ...]      # against the edition before it (none for the first)
    changes_path: str                # the plan's data/<series>-changes.csv, '' when it has one edition

    @property
    def rate(self) -> str:
        return rate_text(met_rate(self.met, self.not_met))

    @property
    def change_counts(self) -> Counter[str]:
        return Counter(change.kind for change in self.changes)


def edition_changes(before_facts: EditionFacts, after_facts: EditionFacts) -> tuple[Change, ...]:
    before, after = before_facts.elements, after_facts.elements
    changes = [Change("appears", URIRef(e), after[e][0], "", after[e][1]) for e in after.keys() - before.keys()]
    changes += [Change("absent", URIRef(e), before[e][0], before[e][1], "") for e in before.keys() - after.keys()]
    changes += [Change("retitled", URIRef(e), after[e][0], before[e][1], after[e][1])
                for e in before.keys() & after.keys() if before[e][1] and after[e][1] and before[e][1] != after[e][1]]
    old, new, met = before_facts.pivots, after_facts.pivots, str(PLANLOD.met)
    for element in old.keys() & new.keys():
        if old[element] != new[element] and met in (old[element], new[element]):
            kind = "now met" if new[element] == met else "no longer met"
            notation = after.get(element, ("", ""))[0]
            changes.append(Change(kind, URIRef(element), notation, _pivot_word(old[element]),
                                  _pivot_word(new[element])))
    return tuple(sorted(changes, key=lambda c: (c.kind, c.notation, str(c.element))))


def _pivot_word(pivot: str) -> str:
    return "達成 met" if pivot == str(PLANLOD.met) else "未達成 not met"


def plans_of(reports: tuple[Report, ...]) -> dict[URIRef, list[Report]]:
    """Each plan's reports in fiscal-year order (reports of one year in the collection's order)."""
    by_plan: dict[URIRef, list[Report]] = {}
    for report in sorted(reports, key=lambda r: r.table.fiscal_year or 0):
        by_plan.setdefault(report.iris.plan(), []).append(report)
    return by_plan


def series_editions(series: list[Report], counts: Callable[[Report], ReportCounts],
                    facts: Callable[[Report], EditionFacts]) -> Iterator[Edition]:
    """One plan's editions, each with its changes against the one before; one edition's facts held at a time
    besides the one being compared."""
    previous: EditionFacts | None = None
    changes_path = changes_name(series[0]) if len(series) > 1 else ""
    for report in series:
        current = facts(report) if changes_path else None   # one edition: nothing to compare
        counted = counts(report)
        yield Edition(report.table.fiscal_year or 0, report.dataset_id, report.iris.report(), counted.evaluations,
                      counted.met, counted.not_met,
                      edition_changes(previous, current) if previous is not None and current is not None else (),
                      changes_path)
        previous = current


def editions_by_plan(reports: tuple[Report, ...]) -> dict[URIRef, list[Edition]]:
    """Each plan's editions in fiscal-year order, each with its changes against the one before (from the
    reports' graphs)."""
    return {plan: list(series_editions(series, lambda r: report_counts(r.table),
                                       lambda r: edition_facts(Facts(r.graph), r.iris.plan())))
            for plan, series in plans_of(reports).items()}


def changes_name(report: Report) -> str:
    return f"data/{report.series_id}-changes.csv"


def read_changes(path: Path) -> dict[int, tuple[Change, ...]]:
    """A changes CSV as written (write_changes), by the fiscal year changed to: what `planlod serve` shows on a
    large site's plan page."""
    found: dict[int, list[Change]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        if tuple(next(rows, ())) != CHANGES_HEADER:
            raise ValueError(f"{path} is not a changes CSV of planlod")
        for _, to_year, kind, notation, iri, before, after in rows:
            if kind not in CHANGE_KINDS:
                raise ValueError(f"{path}: {kind!r} is not a kind of change")
            found.setdefault(int(to_year), []).append(Change(kind, URIRef(iri), notation, before, after))
    return {year: tuple(changes) for year, changes in found.items()}
