"""Tallies computed from the rows, and their comparison with the declared summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .records import Activity, DeclaredCount, ProgressTable


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


def compare_tallies(table: ProgressTable) -> TallyComparison:
    """Each declared figure next to the same figure computed from the rows."""
    by_scope: dict[tuple[str, ...], Counter[str]] = {(): Counter()}
    for a in table.activities:
        for depth in range(4):
            by_scope.setdefault((a.goal, a.policy, a.measure)[:depth], Counter())[a.result] += 1
    overall = by_scope[()]
    by_goal = {scope[0]: counts for scope, counts in by_scope.items() if len(scope) == 1}
    lines = []
    for d in table.declared:
        if d.assessment or d.priority:
            computed = sum(1 for a in table.activities if _counts(a, d, table.results))
        else:
            counts = by_scope.get(d.scope, Counter())
            computed = counts[d.label] if d.label in table.results else sum(counts.values())
        lines.append(TallyLine(d.table, d.scope, d.label, computed, d.count, d.source_line, d.complete,
                               d.assessment, d.priority))
    return TallyComparison(by_goal, overall, tuple(lines))


def _counts(a: Activity, d: DeclaredCount, results: tuple[str, ...]) -> bool:
    """Whether the figure `d` counts row `a`: in its scope, of its subset, with its value (a label that
    is not a level, such as 合計, counts every row)."""
    if (a.goal, a.policy, a.measure)[:len(d.scope)] != d.scope or (d.priority and not a.priority):
        return False
    if d.assessment:
        return dict(a.assessments).get(d.assessment) == d.label
    return d.label not in results or d.label == a.result


def pivot_counts(table: ProgressTable) -> Counter[str]:
    """Evaluations per pivot ('met', 'not-met'; '' where a level maps to neither), from the rows."""
    return Counter(table.metadata.level(a.result).pivot for a in table.activities)
