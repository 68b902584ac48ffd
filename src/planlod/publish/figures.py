"""The figures pages show, read from the graph: each evaluation as a row (目標, 実績, 評価, 担当課, the previous
year's actual), tallies per level of the scale and per pivot, the plan as a tree with counts at each node.

Everything comes from the published graph, so it is the same for any municipality, scale or hierarchy.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, QB, RDFS, SDO, SKOS

from ..cells import fiscal_year_label
from ..collection import covid_meanings
from ..tallies import met_rate, rate_text
from ..vocab import PLANLOD, SDMX_DIMENSION
from .index import GraphIndex
from .render import Renderer

PIVOT_WORDS = {"result-met": "達成 met", "result-notmet": "未達成 not met", "": "–"}
SEVERITY_WORDS = {"Violation": "違反 Violation", "Warning": "警告 Warning", "Info": "情報 Info"}
# Shortfalls first (department pages): not met, then neither, then met.
SHORTFALL_ORDER = {"result-notmet": 0, "": 1, "result-met": 2}


def pivot_css(index: GraphIndex, concept: Any) -> str:
    pivots = [*index.values(concept, SKOS.exactMatch), *index.values(concept, SKOS.broadMatch)]
    return "result-met" if PLANLOD.met in pivots else "result-notmet" if PLANLOD.notMet in pivots else ""


@dataclass(frozen=True, slots=True)
class Amount:
    value: float
    unit: str

    def __str__(self) -> str:
        number = f"{self.value:,.0f}" if self.value == int(self.value) else f"{self.value:,}"
        return f"{number} {self.unit}".rstrip()


def _unless_same(amount: Amount | None, printed: Any) -> str:
    """The number read from a cell, where it says more than the cell itself ('26件' needs no '26 件')."""
    if amount is None:
        return ""
    squeeze = str.maketrans("", "", " ,\u3000")
    return "" if str(amount).translate(squeeze) == str(printed or "").translate(squeeze) else str(amount)


class Figures:
    """One pass over the index: evaluations by activity and by year, previous actuals, ※ meanings."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        index = renderer.index
        self.evaluations: dict[URIRef, list[URIRef]] = defaultdict(list)   # by activity
        self.by_year: dict[URIRef, list[URIRef]] = defaultdict(list)        # by fiscal-year IRI
        self.by_report: dict[URIRef | None, list[URIRef]] = defaultdict(list)
        self.references: dict[tuple[URIRef, URIRef | None], URIRef] = {}   # (activity, report)
        self.corrected: dict[tuple[URIRef | None, str], list[URIRef]] = defaultdict(list)  # (report, line)
        for node in sorted(index.types, key=index.sort_key):
            activity = index.value(node, PLANLOD.activity)
            if not isinstance(activity, URIRef):
                continue
            if index.is_a(node, PLANLOD.Evaluation):
                self.evaluations[activity].append(node)
                period = index.value(node, SDMX_DIMENSION.refPeriod)
                if isinstance(period, URIRef):
                    self.by_year[period].append(node)
                report = self.report_of(node)
                self.by_report[report].append(node)
                self.corrected[(report, str(index.value(node, PLANLOD.sourceLine)))].append(node)
            elif index.is_a(node, PLANLOD.ReferenceActual):
                self.references[(activity, self.report_of(node))] = node
        self.findings: dict[URIRef, list[dict[str, str]]] = defaultdict(list)
        for issue in renderer.ctx.outcome.issues:
            self.findings[URIRef(issue.focus)].append({"severity": SEVERITY_WORDS.get(issue.severity, issue.severity),
                                                       "ja": issue.message_ja, "en": issue.message})
        self.counted: dict[URIRef, Counter[str]] = {}   # pivot counts beneath each element (tree)
        self.meanings = {URIRef(iri): meaning for iri, meaning in renderer.ctx.covid_meanings.items()}
        self.meanings.update({URIRef(iri): meaning for iri, meaning in covid_meanings(renderer.ctx.reports).items()})

    @classmethod
    def of(cls, renderer: Renderer) -> Figures:
        """The renderer's figures, computed once (its index does not change)."""
        found = renderer.cache.get(cls)
        if not isinstance(found, cls):
            found = renderer.cache[cls] = cls(renderer)
        return found

    def of_report(self, report: URIRef) -> list[URIRef]:
        return self.by_report.get(report, [])   # in IRI order, as the index is walked

    def report_of(self, observation: URIRef) -> URIRef | None:
        found = self.renderer.index.value(self.renderer.index.value(observation, QB.dataSet), DCTERMS.isPartOf)
        return found if isinstance(found, URIRef) else None

    def year_of(self, observation: URIRef) -> int:
        period = self.renderer.index.value(observation, SDMX_DIMENSION.refPeriod)
        tail = str(period or "").rsplit("/", 1)[-1]
        return int(tail) if tail.isdigit() else 0

    def amount(self, node: Any) -> Amount | None:
        index = self.renderer.index
        value = index.value(node, SDO.value)
        if not isinstance(value, Literal):
            return None
        try:
            return Amount(float(value), str(index.value(node, SDO.unitText) or ""))
        except ValueError:
            return None

    def under(self, node: URIRef) -> list[URIRef]:
        """The evaluations of `node` if it is an activity, else of every activity beneath it."""
        index, stack = self.renderer.index, [node]
        found: list[URIRef] = []
        while stack:
            current = stack.pop()
            found.extend(self.evaluations.get(current, ()))
            stack.extend(self.children(current))
        return sorted(found, key=index.sort_key)

    def children(self, node: URIRef) -> list[URIRef]:
        """The elements one level down: a plan's goals (its top concepts), an element's narrower ones."""
        index = self.renderer.index
        tops = [t for t in index.values(node, SKOS.hasTopConcept) if isinstance(t, URIRef)]
        return sorted(tops, key=index.sort_key) + index.narrower.get(node, [])

    def of_unit(self, unit: URIRef) -> list[URIRef]:
        index = self.renderer.index
        activities = [s for p, s in index.incoming.get(unit, ()) if p == PLANLOD.responsibleUnit]
        return sorted((e for a in activities for e in self.evaluations.get(a, ())), key=index.sort_key)

    def row(self, page: str, evaluation: URIRef) -> dict[str, Any]:
        """One evaluation as a table row: what the report printed, the numbers read from it, the result."""
        renderer, index = self.renderer, self.renderer.index
        activity = index.value(evaluation, PLANLOD.activity)
        project = index.value(activity, SKOS.broader)
        unit = index.value(activity, PLANLOD.responsibleUnit)
        result = index.value(evaluation, PLANLOD.result)
        report = self.report_of(evaluation)
        target, actual = (self.amount(index.value(evaluation, p)) for p in (PLANLOD.targetValue,
                                                                            PLANLOD.actualValue))
        ratio = ""
        if target is not None and actual is not None and target.unit == actual.unit and target.value > 0:
            ratio = f"{100 * actual.value / target.value:.0f}%"
        reference = self.references.get((activity, report)) if isinstance(activity, URIRef) else None
        year = self.year_of(evaluation)
        covid = index.value(project, PLANLOD.covidAffected) == Literal(True)
        css = pivot_css(index, result)
        notation = str(index.value(activity, SKOS.notation) or "")
        return {
            "year": year,
            "year_label": f"{fiscal_year_label(year)} FY{year}" if year else "",
            "href": renderer.href(page, evaluation),
            "notation": notation,
            "activity": index.label(activity) if activity is not None else "",
            "activity_href": renderer.href(page, activity) if activity is not None else None,
            "project": index.label(project) if project is not None else "",
            "project_href": renderer.href(page, project) if project is not None else None,
            "target": str(index.value(evaluation, PLANLOD.target) or ""),
            "actual": str(index.value(evaluation, PLANLOD.actual) or ""),
            "target_amount": _unless_same(target, index.value(evaluation, PLANLOD.target)),
            "actual_amount": _unless_same(actual, index.value(evaluation, PLANLOD.actual)),
            "ratio": ratio,
            "result": index.label(result) if result is not None else "",
            "pivot": PIVOT_WORDS[css],
            "css": css,
            "department": index.label(unit) if unit is not None else "",
            "department_href": renderer.href(page, unit) if unit is not None else None,
            "previous": str(index.value(reference, PLANLOD.referenceActual) or "") if reference else "",
            "previous_year": f"FY{self.year_of(reference)}" if reference and self.year_of(reference) else "",
            "covid": covid,
            "covid_meaning": self.meanings.get(report, "") if report is not None and covid else "",
            "note": str(index.value(evaluation, SKOS.editorialNote) or ""),
            "direction": str(index.value(evaluation, PLANLOD.issuesAndDirection) or ""),
            "findings": [f"{f['severity']}: {f['ja']}" for f in self.findings.get(evaluation, [])],
            "report": index.label(report) if report is not None else "",
            "report_href": renderer.href(page, report) if report is not None else None,
            "sort": (SHORTFALL_ORDER[css], index.sort_key(activity) if isinstance(activity, URIRef) else ()),
        }

    def rows(self, page: str, evaluations: list[URIRef], *, shortfalls_first: bool = False) -> list[dict[str, Any]]:
        rows = [self.row(page, e) for e in evaluations]
        if shortfalls_first:
            return sorted(rows, key=lambda r: (-r["year"], r["sort"]))
        return sorted(rows, key=lambda r: (r["sort"][1], -r["year"]))

    def levels(self, evaluations: list[URIRef]) -> list[URIRef]:
        """The levels of the scales these evaluations use, in each scale's order (rank)."""
        index = self.renderer.index
        scales = sorted({s for e in evaluations for s in index.values(index.value(e, PLANLOD.result), SKOS.inScheme)
                         if isinstance(s, URIRef)}, key=index.sort_key)
        found: list[URIRef] = []
        for scale in scales:
            members = [s for p, s in index.incoming.get(scale, []) if p == SKOS.inScheme]
            found.extend(sorted(members, key=lambda c: (int(str(index.value(c, PLANLOD.rank) or 0)),
                                                        index.sort_key(c))))
        return found

    def tally(self, evaluations: list[URIRef]) -> dict[str, Any]:
        """Per fiscal year: each level's count, met and not met (the pivot), the total and the met-rate."""
        index = self.renderer.index
        levels = self.levels(evaluations)
        by_year: dict[int, Counter[Any]] = defaultdict(Counter)
        for e in evaluations:
            result = index.value(e, PLANLOD.result)
            by_year[self.year_of(e)].update([result, pivot_css(index, result), "total"])
        return {
            "levels": [index.label(c) for c in levels],
            "years": [{
                "label": f"{fiscal_year_label(year)} FY{year}",
                "counts": [counts[c] for c in levels],
                "met": counts["result-met"], "notmet": counts["result-notmet"], "total": counts["total"],
                "rate": rate_text(met_rate(counts["result-met"], counts["result-notmet"])),
            } for year, counts in sorted(by_year.items(), reverse=True)],
        }

    def pivot_counts(self, node: URIRef) -> Counter[str]:
        """Evaluations beneath `node` by pivot ('result-met', 'result-notmet', ''), each node counted once."""
        if node not in self.counted:
            index = self.renderer.index
            counts = Counter(pivot_css(index, index.value(e, PLANLOD.result)) for e in self.evaluations.get(node, ()))
            for child in self.children(node):
                counts.update(self.pivot_counts(child))
            self.counted[node] = counts
        return self.counted[node]

    def tree(self, page: str, node: URIRef, depth: int = 0) -> list[dict[str, Any]]:
        """The plan beneath `node` down to its projects, each node with the counts of all the evaluations
        under it (every edition of the plan); the first two levels open."""
        renderer, index = self.renderer, self.renderer.index
        nodes = []
        for child in self.children(node):
            if index.is_a(child, PLANLOD.Activity):
                continue
            counts = self.pivot_counts(child)
            nodes.append({
                "notation": str(index.value(child, SKOS.notation) or ""),
                "label": index.label(child), "href": renderer.href(page, child),
                "met": counts["result-met"], "notmet": counts["result-notmet"], "total": sum(counts.values()),
                "rate": rate_text(met_rate(counts["result-met"], counts["result-notmet"])),
                "covid": index.value(child, PLANLOD.covidAffected) == Literal(True),
                "children": self.tree(page, child, depth + 1),
                "open": depth < 2,
            })
        return nodes

    def corrects(self, page: str, correction: URIRef) -> list[dict[str, Any]]:
        """What a correction corrects: the evaluations read from its source line."""
        index = self.renderer.index
        report = next((s for p, s in index.incoming.get(correction, ()) if p == PLANLOD.correction), None)
        line = str(index.value(correction, PLANLOD.sourceLine))
        return [{"label": index.label(e), "href": self.renderer.href(page, e)}
                for e in self.corrected.get((report, line), [])]

    def correction(self, node: URIRef) -> dict[str, str]:
        index = self.renderer.index
        return {"field": str(index.value(node, PLANLOD.field) or ""),
                "before": str(index.value(node, PLANLOD.originalText) or ""),
                "after": str(index.value(node, PLANLOD.correctedText) or ""),
                "why": str(index.value(node, RDFS.comment) or "")}
