"""Tallies computed from the rows, and their comparison with the declared summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .records import ProgressTable


@dataclass(frozen=True, slots=True)
class TallyLine:
    table: str            # 'overall' or 'by-goal'
    goal: str | None
    label: str            # result word, 小計 or 合計
    computed: int
    declared: int
    source_line: int

    @property
    def matches(self) -> bool:
        return self.computed == self.declared

    @property
    def scope(self) -> str:
        return f"goal {self.goal}" if self.goal else "all goals"


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


def compute_tallies(table: ProgressTable) -> tuple[Counter[str], dict[str, Counter[str]]]:
    overall: Counter[str] = Counter()
    by_goal: dict[str, Counter[str]] = {}
    for a in table.activities:
        overall[a.result] += 1
        by_goal.setdefault(a.goal, Counter())[a.result] += 1
    return overall, by_goal


def compare_tallies(table: ProgressTable) -> TallyComparison:
    """Each declared figure next to the same figure computed from the rows."""
    overall, by_goal = compute_tallies(table)
    lines = []
    for d in table.declared:
        counts = overall if d.goal is None else by_goal.get(d.goal, Counter())
        computed = sum(counts.values()) if d.label in ("小計", "合計") else counts[d.label]
        lines.append(TallyLine(d.table, d.goal, d.label, computed, d.count, d.source_line))
    return TallyComparison(by_goal, overall, tuple(lines))


def pivot_counts(table: ProgressTable) -> Counter[str]:
    """Evaluations per pivot ('met', 'not-met'; '' where a level maps to neither), from the rows."""
    return Counter(table.metadata.level(a.result).pivot for a in table.activities)
