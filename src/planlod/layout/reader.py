"""The layout reader: every source line classified, the rows turned into records.

It reads line by line (front matter, then goal > policy > measure sections with
their tables) and keeps only the current measure's rows in hand, so a long
document streams through it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from ..cells import MARKER, find_era_year, parse_number_cell, positive_number, split_leading_number
from ..errors import SourceError
from ..records import Activity, Diagnostic, Goal, LineNote, MarkerDefinition, Measure, Policy, ProgressTable
from .front import FrontMatter
from .lines import (
    find_foreign_letters,
    match_goal_heading,
    match_marker_definition,
    match_measure_heading,
    match_policy_heading,
    match_running_header,
    strip_bullet,
)
from .projects import MeasureAssembler, Project, RowInput
from .rows import (
    RowError,
    TableHeader,
    align_row,
    is_header_continuation,
    is_header_start,
    is_stray_row,
    parse_header_start,
)

_T = TypeVar("_T")


@dataclass(slots=True)
class _Measure:
    number: int
    title: str
    line: int
    directions: list[str] = field(default_factory=list)
    assembler: MeasureAssembler | None = None


@dataclass(slots=True)
class _Policy:
    ordinal: int
    title: str
    line: int
    description: list[str] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)


@dataclass(slots=True)
class _Goal:
    numeral: str
    title: str
    line: int
    policies: list[Policy] = field(default_factory=list)


class LayoutReader:
    def __init__(self, source_name: str, results: tuple[str, ...], fiscal_year: int | None = None) -> None:
        self.name = source_name
        self.results = results
        self.front = FrontMatter(source_name, results)
        self.fiscal_year = fiscal_year
        self.in_body = False
        self.notes: dict[int, LineNote] = {}
        self.diagnostics: list[Diagnostic] = []
        self.activities: list[Activity] = []
        self.goals: list[Goal] = []
        self.markers: list[MarkerDefinition] = []
        self.legend: list[str] = []
        self.goal: _Goal | None = None
        self.policy: _Policy | None = None
        self.measure: _Measure | None = None
        self.table: TableHeader | None = None
        self.table_has_rows = False
        self.carry: tuple[str, int] | None = None

    def where(self, n: int) -> str:
        return f"{self.name}:{n}"

    # ---- line dispatch -------------------------------------------------------------
    def feed(self, n: int, line: str) -> None:
        for column, run, script in find_foreign_letters(line):
            self.diagnostics.append(Diagnostic(
                f"{self.name}:{n}:{column}",
                f"suspect OCR garbage: {script} letters '{run}' inside Japanese text; add a correction"))
        if not line.strip():
            self._end_table(n)
            self.notes[n] = LineNote(n, "blank")
            return
        if not self.in_body:
            if "\t" in line or match_goal_heading(line) is None:
                self.notes[n] = self.front.feed(n, line)
                return
            self._start_body(n)
        if "\t" in line:
            self._table_line(n, line.split("\t"))
        else:
            self._end_table(n)
            self._text_line(n, line)

    def _start_body(self, n: int) -> None:
        self.in_body = True
        if not self.front.declared:
            raise SourceError(
                "no summary table before the first goal heading",
                where=self.where(n),
                hint="the report must declare its tallies (【全体】 / 【目指す区のすがた別】) so they can be checked",
            )
        title_year = find_era_year(self.front.title)
        if self.fiscal_year is None:
            self.fiscal_year = title_year
        elif title_year is not None and title_year != self.fiscal_year:
            raise SourceError(
                f"the title says fiscal year {title_year} but the metadata says {self.fiscal_year}",
                where=self.where(self.front.title_line or 1),
            )

    # ---- text outside tables -------------------------------------------------------
    def _text_line(self, n: int, line: str) -> None:
        running = match_running_header(line)
        if running:
            heading, policy_title = running
            if not (self.goal and self.policy and heading.key == self.goal.numeral
                    and policy_title == self.policy.title):
                current = f"{self.goal.numeral if self.goal else '-'} ◆{self.policy.title if self.policy else '-'}"
                raise SourceError(
                    f"running header names goal {heading.key} ◆{policy_title}, but the section is {current}",
                    where=self.where(n),
                    hint="a page header repeats the current goal and policy; is a heading missing?",
                )
            self.notes[n] = LineNote(n, "running-header", f"page header of goal {heading.key} ◆{policy_title}")
            return
        goal = match_goal_heading(line)
        if goal:
            self._close_goal()
            declared_title = self.front.goal_titles.get(goal.key)
            if declared_title is not None and declared_title != goal.title:
                self.diagnostics.append(Diagnostic(self.where(n), f"goal {goal.key} is titled '{goal.title}' here "
                                                                   f"but '{declared_title}' in the summary"))
            self.goal = _Goal(goal.key, goal.title, n)
            self.notes[n] = LineNote(n, "goal-heading", f"goal {goal.key} {goal.title}")
            return
        new_policy = match_policy_heading(line)
        if new_policy is not None:
            goal_now = self._need(self.goal, n, "a policy (◆) heading before any goal heading")
            self._close_policy()
            ordinal = len(goal_now.policies) + 1
            listed = self.front.contents_policies.get((goal_now.numeral, ordinal))
            if listed is not None and listed != new_policy:
                self.diagnostics.append(Diagnostic(
                    self.where(n), f"policy {ordinal} of goal {goal_now.numeral} is '{new_policy}' here "
                                   f"but '{listed}' in the contents"))
            self.policy = _Policy(ordinal, new_policy, n)
            self.notes[n] = LineNote(n, "policy-heading", f"policy {goal_now.numeral}-{ordinal} {new_policy}")
            return
        measure = match_measure_heading(line)
        if measure:
            policy_now = self._need(self.policy, n, "a measure heading before any policy (◆) heading")
            self._close_measure()
            try:
                number = positive_number(measure.key, "measure")
            except ValueError as err:
                raise SourceError(str(err), where=self.where(n), hint="correct the heading in the corrections file") \
                    from None
            self.measure = _Measure(number, measure.title, n, assembler=MeasureAssembler(self.name))
            self.notes[n] = LineNote(n, "measure-heading",
                                     f"measure {self._path()} {measure.title} (policy {policy_now.ordinal})")
            return
        if self.measure:
            bullet, text = strip_bullet(line)
            directions = self.measure.directions
            if bullet or not directions:
                directions.append(text)
                self.notes[n] = LineNote(n, "direction", f"direction {len(directions)} of measure {self._path()}")
            else:
                directions[-1] += "\n" + text
                self.notes[n] = LineNote(n, "direction-continued",
                                         f"continues direction {len(directions)} of measure {self._path()}")
            return
        if self.policy:
            self.policy.description.append(line.strip())
            numeral = self.goal.numeral if self.goal else ""
            self.notes[n] = LineNote(n, "policy-description", f"description of policy {numeral}-{self.policy.ordinal}")
            return
        if self.goal:
            definition = match_marker_definition(line)
            if definition:
                if not any(m.marker == definition[0] for m in self.markers):
                    self.markers.append(MarkerDefinition(definition[0], definition[1], n))
                self.notes[n] = LineNote(n, "legend", f"defines {definition[0]}: {definition[1]}")
            else:
                text = strip_bullet(line)[1]
                if text not in self.legend:
                    self.legend.append(text)
                self.notes[n] = LineNote(n, "legend", "legend note")
            return
        raise SourceError("text outside any goal section", where=self.where(n))

    def _need(self, value: _T | None, n: int, what: str) -> _T:
        if value is None:
            raise SourceError(what, where=self.where(n), hint="the sections run goal (I…) > ◆policy > (n) measure")
        return value

    def _path(self) -> str:
        goal = self.goal.numeral if self.goal else "?"
        policy = self.policy.ordinal if self.policy else "?"
        measure = self.measure.number if self.measure else "?"
        return f"{goal}-{policy}-({measure})"

    # ---- tables --------------------------------------------------------------------
    def _table_line(self, n: int, cells: list[str]) -> None:
        try:
            if is_header_start(cells):
                self._end_table(n)
                measure = self._need(self.measure, n, "a table before any measure ((n)) heading")
                header = parse_header_start(cells, n)
                if self.fiscal_year is None:
                    self.fiscal_year = header.fiscal_year
                if header.fiscal_year != self.fiscal_year:
                    raise SourceError(
                        f"this table reports fiscal year {header.fiscal_year} ({header.year_label}), but the "
                        f"document reports fiscal year {self.fiscal_year}",
                        where=self.where(n),
                        hint="if the table's year headers are misprinted, add a correction for this line",
                    )
                self.table, self.table_has_rows = header, False
                assert measure.assembler is not None
                measure.assembler.start_table()
                self.notes[n] = LineNote(n, "table-header", f"table of measure {self._path()}, "
                                         f"fiscal year {header.fiscal_year}, reference {header.previous_fiscal_year}")
                return
            if self.table is None:
                raise SourceError("a table row outside a table", where=self.where(n),
                                  hint="a table starts with a header line beginning 事業番号")
            if not self.table_has_rows and is_header_continuation(cells):
                self.notes[n] = LineNote(n, "table-header-continued", "split header line")
                return
            if is_stray_row(cells):
                self.notes[n] = LineNote(n, "stray-row", "set aside: only '-' placeholders, no activity or evaluation")
                return
            self._data_row(n, cells)
        except RowError as err:
            raise SourceError(str(err), where=self.where(n), hint=err.hint) from None

    def _data_row(self, n: int, cells: list[str]) -> None:
        assert self.table is not None and self.measure is not None and self.measure.assembler is not None
        used = len(cells)
        while used and not cells[used - 1].strip():
            used -= 1
        if used > self.table.width:
            raise SourceError(f"this row has {used} cells but its table header (line {self.table.line}) has "
                              f"{self.table.width}", where=self.where(n), hint="a cell was split or a tab added")
        aligned = align_row(cells, self.results)
        try:
            number_cell = parse_number_cell(aligned.number_cell)
            fused = split_leading_number(aligned.name) if number_cell.number is None else None
        except ValueError as err:
            raise SourceError(str(err), where=self.where(n), hint="correct the cell in the corrections file") from None
        number, name, rules = number_cell.number, aligned.name, []
        if fused:
            number, name = fused
            rules.append("project number fused into the name cell")
        carry, self.carry = self.carry, None
        row = RowInput(n, aligned, self.table, number_cell.marked, carry, rules)
        if aligned.carried_result:
            self.carry = (aligned.carried_result, n)
        self.measure.assembler.add(row, number, name)
        self.table_has_rows = True
        self.notes[n] = LineNote(n, "data-row")  # detail filled in when the project closes

    def _end_table(self, n: int) -> None:
        if self.table is None:
            return
        if not self.table_has_rows:
            raise SourceError("this table header has no rows: the table is cut off",
                              where=self.where(self.table.line))
        if self.carry:
            raise SourceError(f"the department cell carries the evaluation {self.carry[0]} for a row that does "
                              "not follow", where=self.where(self.carry[1]))
        assert self.measure is not None and self.measure.assembler is not None
        self.measure.assembler.end_table()
        self.table = None

    # ---- closing sections ----------------------------------------------------------
    def _close_measure(self) -> None:
        if self.measure is None:
            return
        assert self.goal is not None and self.policy is not None and self.measure.assembler is not None
        projects = self.measure.assembler.close()
        if not projects:
            self.diagnostics.append(Diagnostic(self.where(self.measure.line),
                                               f"measure {self._path()} has no table rows"))
        for project in projects:
            self._emit(project)
        self.policy.measures.append(Measure(str(self.measure.number), self.measure.title,
                                            tuple(self.measure.directions), self.measure.line))
        self.measure = None

    def _emit(self, project: Project) -> None:
        assert self.goal is not None and self.policy is not None and self.measure is not None
        for row in project.rows:
            c = row.cells
            self.activities.append(Activity(
                goal=self.goal.numeral, goal_title=self.goal.title, policy=str(self.policy.ordinal),
                policy_title=self.policy.title, measure=str(self.measure.number), measure_title=self.measure.title,
                project_number=str(project.number), project_name=project.name, project_outline=row.outline,
                activity=c.activity, fiscal_year=row.header.fiscal_year, target=c.target, actual=c.actual,
                previous_fiscal_year=row.header.previous_fiscal_year, previous_actual=c.previous_actual,
                result=row.result, direction=c.direction, covid=project.covid, department=row.department,
                source_line=row.line))
            detail = f"{self._path()} project {project.number} activity {row.ordinal}: {row.result}"
            if project.covid:
                detail += f" ({MARKER})"
            if row.rules:
                detail += " [" + "; ".join(row.rules) + "]"
            self.notes[row.line] = LineNote(row.line, "data-row", detail)

    def _close_policy(self) -> None:
        self._close_measure()
        if self.policy is None:
            return
        assert self.goal is not None
        description = "\n".join(self.policy.description)
        self.goal.policies.append(Policy(str(self.policy.ordinal), self.policy.title, description,
                                         tuple(self.policy.measures), self.policy.line))
        self.policy = None

    def _close_goal(self) -> None:
        self._close_policy()
        if self.goal is not None:
            self.goals.append(Goal(self.goal.numeral, self.goal.title, tuple(self.goal.policies), self.goal.line))
            self.goal = None

    def finish(self, last_line: int) -> ProgressTable:
        self._end_table(last_line)
        if self.measure is not None and self.measure.assembler is not None and not self.measure.assembler.projects:
            raise SourceError(f"the document ends in measure {self._path()} before any of its table rows: "
                              "the table is cut off", where=f"{self.name}:{last_line}")
        self._close_goal()
        if not self.in_body:
            raise SourceError("no goal heading (e.g. 'I <title>') was found: this is not a progress table",
                              where=f"{self.name}:{last_line}")
        seen = {g.numeral for g in self.goals}
        for numeral in self.front.goal_titles:
            if numeral not in seen:
                raise SourceError(
                    f"the summary declares goal {numeral}, but the document ends before it: the table is cut off",
                    where=f"{self.name}:{last_line}")
        return ProgressTable(
            source_name=self.name, title=self.front.title, fiscal_year=self.fiscal_year,
            activities=tuple(self.activities), goals=tuple(self.goals), declared=tuple(self.front.declared),
            results=self.results, scope_note="\n".join(self.front.notes), markers=tuple(self.markers),
            legend=tuple(self.legend), lines=tuple(self.notes[k] for k in sorted(self.notes)),
            diagnostics=tuple(self.diagnostics))


def read_layout(lines: list[str], source_name: str, *, results: tuple[str, ...] = ("達成", "未達成"),
                fiscal_year: int | None = None) -> ProgressTable:
    reader = LayoutReader(source_name, results, fiscal_year)
    for n, line in enumerate(lines, 1):
        reader.feed(n, line)
    return reader.finish(len(lines))
