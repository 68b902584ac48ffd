"""Assemble data rows into projects and evaluation rows, resolving merged cells.

A project's number, name, outline, evaluation and department cells may be merged
vertically over several rows; the extraction prints their text on one of them.
Rules (in this order):
- a row with a number or a name starts a project; a row with neither continues one;
- rows with neither at the top of a table belong to the first project row that
  follows in the same table (its merged name cell was printed on a lower row), or,
  when none follows, to the project before the table (a page break);
- a row without an evaluation takes the one its predecessor's department cell
  carried over, else the one of the row above in the same project;
- an empty department or outline is the one of the row above in the same project.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import SourceError
from .rows import AlignedRow, TableHeader


@dataclass(slots=True)
class RowInput:
    line: int
    cells: AlignedRow
    header: TableHeader
    marked: bool
    carry_in: tuple[str, int] | None   # (evaluation, line it was printed on)
    rules: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ResolvedRow:
    line: int
    ordinal: int
    cells: AlignedRow
    header: TableHeader
    result: str
    department: str
    outline: str
    rules: tuple[str, ...]


@dataclass(slots=True)
class ProjectInput:
    number: int | None
    name: str
    outline: str
    marked: bool
    line: int
    rows: list[RowInput] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Project:
    number: int
    name: str
    outline: str
    covid: bool
    line: int
    rows: tuple[ResolvedRow, ...]


class MeasureAssembler:
    """Collects the rows of one measure; `close()` returns its finished projects."""

    def __init__(self, source_name: str) -> None:
        self.source_name = source_name
        self.projects: list[ProjectInput] = []
        self.orphans: list[RowInput] = []
        self.rows_in_table = 0

    def start_table(self) -> None:
        self.end_table()
        self.rows_in_table = 0

    def add(self, row: RowInput, number: int | None, name: str) -> None:
        if name or number is not None:
            project = ProjectInput(number, name, row.cells.outline, row.marked, row.line)
            project.rows.extend(self.orphans)
            for orphan in self.orphans:
                project.marked |= orphan.marked
                orphan.rules.append(f"top-of-table row joins the project named on line {row.line} (merged cell)")
            self.orphans = []
            project.rows.append(row)
            self.projects.append(project)
        elif self.rows_in_table == len(self.orphans):
            self.orphans.append(row)
        else:
            self.projects[-1].rows.append(row)
            self.projects[-1].marked |= row.marked
        self.rows_in_table += 1

    def end_table(self) -> None:
        if not self.orphans:
            return
        if not self.projects:
            raise SourceError(
                "this row has no project number or name, and no project precedes it in its measure",
                where=f"{self.source_name}:{self.orphans[0].line}",
                hint="the 事業番号 and 事業名 cells are empty: is a row missing above it?",
            )
        for orphan in self.orphans:
            orphan.rules.append("top-of-table row continues the project before the page break")
            self.projects[-1].rows.append(orphan)
            self.projects[-1].marked |= orphan.marked
        self.orphans = []

    def close(self) -> list[Project]:
        self.end_table()
        finished: list[Project] = []
        seen: dict[int, int] = {}
        for p in self.projects:
            where = f"{self.source_name}:{p.line}"
            if p.number is None:
                raise SourceError(
                    f"project '{p.name}' has no number",
                    where=where,
                    hint="the 事業番号 cell lost its number in extraction: add a correction giving it",
                )
            if p.number in seen:
                raise SourceError(
                    f"project {p.number} appears twice in this measure (lines {seen[p.number]} and {p.line})",
                    where=where,
                    hint="project numbers must be unique within a measure ((n) heading)",
                )
            seen[p.number] = p.line
            finished.append(Project(p.number, p.name, p.outline, p.marked, p.line, self._resolve(p)))
        return finished

    def _resolve(self, project: ProjectInput) -> tuple[ResolvedRow, ...]:
        resolved: list[ResolvedRow] = []
        for ordinal, row in enumerate(project.rows, 1):
            rules = list(row.cells.rules) + row.rules
            where = f"{self.source_name}:{row.line}"
            own = row.cells.result
            if own and row.carry_in:
                raise SourceError(
                    f"line {row.carry_in[1]} carries the evaluation {row.carry_in[0]} into this row, "
                    f"which has its own evaluation {own}",
                    where=where,
                )
            if own:
                result = own
            elif row.carry_in:
                result = row.carry_in[0]
                rules.append(f"evaluation {result} printed in the department cell of line {row.carry_in[1]}")
            elif resolved:
                result = resolved[-1].result
                rules.append(f"evaluation inherited from line {resolved[-1].line} (merged cell)")
            else:
                raise SourceError(
                    "this row has no evaluation (評価)",
                    where=where,
                    hint="the row may be cut off; the evaluation column must say one of the scale's words",
                )
            department = row.cells.department
            if not department and resolved:
                department = resolved[-1].department
                if department:
                    rules.append(f"department inherited from line {resolved[-1].line} (merged cell)")
            outline = row.cells.outline or project.outline
            resolved.append(ResolvedRow(row.line, ordinal, row.cells, row.header, result, department, outline,
                                        tuple(rules)))
        return tuple(resolved)
