"""Tallies computed from the rows, and their comparison with the declared summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .records import Activity, ProgressTable


@dataclass(frozen=True, slots=True)
class TallyLine:
    table: str            # 'overall', 'by-goal', 'page', …
    path: tuple[str, ...]  # the scope's notations: () for the whole report, (goal,), (goal, policy, measure)…
    label: str            # result word, 小計 or 合計
    computed: int
    declared: int
    source_line: int
    complete: bool = True
    assessment: str = ""   # '' for the evaluation scale, else the id of the assessment the label is a value of
    priority: bool = False  # counts only the priority rows (うち重点)

    @property
    def matches(self) -> bool:
        """Equal where the rows are complete; where they are partial, not more than declared."""
        return self.computed == self.declared if self.complete else self.computed <= self.declared

    @property
    def status(self) -> str:
        if not self.matches:
            return "DIFFERS"
        return "ok" if self.complete else "partial"

    @property
    def category(self) -> str:
        """What is counted: the level (or 合計), of which assessment, of which rows ('3', 'inspection A',
        '3 (priority)')."""
        label = f"{self.assessment} {self.label}" if self.assessment else self.label
        return f"{label} (priority)" if self.priority else label

    @property
    def goal(self) -> str | None:
        return self.path[0] if self.path else None

    @property
    def scope(self) -> str:
        names = ("goal", "policy", "measure")
        return " ".join(f"{names[i]} {p}" for i, p in enumerate(self.path)) if self.path else "all goals"


@dataclass(frozen=True, slots=True)
class TallyComparison:
    computed_by_goal: dict[str, Counter[str]]
    computed_overall: Counter[str]
    lines: tuple[TallyLine, ...]

    @property
    def matches(self) -> bool:
        return all(line.matches for line in self.lines)

    @property
    def mismatches(self) -> tuple[TallyLine, ...]:
        return tuple(line for line in self.lines if not line.matches)


# What a figure counts: (scope, priority rows only, assessment id or '' for the scale, value or TOTAL).
Key = tuple[tuple[str, ...], bool, str, str]
TOTAL = ""


def count_rows(activities: tuple[Activity, ...]) -> Counter[Key]:
    """Every count a declared figure can name, in one pass over the rows: for each scope a row is in
    (report, goal, policy, measure), all rows and the priority rows only, per level of the scale and of
    each assessment, and the total."""
    counts: Counter[Key] = Counter()
    for a in activities:
        values = [("", a.result), ("", TOTAL), *a.assessments]
        for depth in range(4):
            scope = (a.goal, a.policy, a.measure)[:depth]
            for priority_only in (False, True) if a.priority else (False,):
                counts.update((scope, priority_only, assessment, value) for assessment, value in values)
    return counts


def compare_tallies(table: ProgressTable) -> TallyComparison:
    """Each declared figure next to the same figure computed from the rows."""
    counts = count_rows(table.activities)
    by_goal: dict[str, Counter[str]] = {}
    overall: Counter[str] = Counter()
    for (scope, priority_only, assessment, value), n in counts.items():
        if not priority_only and not assessment and value != TOTAL and len(scope) <= 1:
            (by_goal.setdefault(scope[0], Counter()) if scope else overall)[value] = n
    lines = []
    for d in table.declared:
        # A label that is not a level of what it counts (小計, 合計) is the total.
        levels = table.results if not d.assessment else (d.label,)
        value = d.label if d.label in levels else TOTAL
        computed = counts[(d.scope, d.priority, d.assessment, value)]
        lines.append(TallyLine(d.table, d.scope, d.label, computed, d.count, d.source_line, d.complete,
                               d.assessment, d.priority))
    return TallyComparison(by_goal, overall, tuple(lines))


def pivot_counts(table: ProgressTable) -> Counter[str]:
    """Evaluations per pivot ('met', 'not-met'; '' where a level maps to neither), from the rows."""
    return Counter(table.metadata.level(a.result).pivot for a in table.activities)


@dataclass(frozen=True, slots=True)
class ReportCounts:
    """What the collection's index says of a report, computed from its rows: kept by the large path,
    which does not keep the rows."""

    evaluations: int
    met: int
    not_met: int
    declared: int       # declared figures compared with the rows
    differing: int      # of them, those the rows do not reproduce


def report_counts(table: ProgressTable) -> ReportCounts:
    pivots, comparison = pivot_counts(table), compare_tallies(table)
    return ReportCounts(len(table.activities), pivots["met"], pivots["not-met"], len(comparison.lines),
                        len(comparison.mismatches))


def met_rate(met: int, not_met: int) -> float | None:
    """The share met, in percent, of the evaluations judged on the pivot; None where none is."""
    return 100 * met / (met + not_met) if met + not_met else None


def rate_text(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.1f}%"
