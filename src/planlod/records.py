"""Typed, frozen records: what a progress table says, independent of its layout.

Strings come in at the edge (layout reader, CSV reader); these records sit in the
middle of the pipeline; the graph stage turns them into RDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from .metadata import SourceMetadata


@dataclass(frozen=True, slots=True)
class Activity:
    """One evaluation row (事業内容 row): the unit the declared tallies count.

    The field names and order are the public CSV interface.
    """

    goal: str                 # notation of the goal: a free token (I, 1, …)
    goal_title: str
    policy: str               # notation of the policy within its goal (1, 1-2, …)
    policy_title: str
    measure: str              # notation of the measure ((n), or a code such as 11301000)
    measure_title: str
    project_number: str       # the printed 事業番号, or '' where none is printed
    project_name: str
    project_outline: str
    activity: str             # 事業内容; '' on the one row of a project evaluated as a whole
    fiscal_year: int          # Gregorian start year of the report fiscal year
    target: str
    actual: str
    previous_fiscal_year: int | None
    previous_actual: str
    result: str               # the printed word, e.g. 達成 / 未達成
    direction: str            # 課題と今後の方向性, as printed ('-' when the table says none)
    covid: bool               # the project carries the ※ marker
    department: str
    source_line: int | None   # 1-based line of the row in the source document
    # Optional columns (docs/records-csv.md): what some plans print and others do not.
    priority: bool | None = None                  # 重点: a priority project this year (None: not said)
    assessments: tuple[tuple[str, str], ...] = ()  # (assessment id, printed value), in the metadata's order
    source: str = ""          # where the row is printed, if not in a source text: an http(s) URL
    note: str = ""            # how the row was read (an inferred cell split, …), for readers of the data


OPTIONAL_FIELDS = ("priority", "assessments", "source", "note")
CSV_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Activity) if f.name not in OPTIONAL_FIELDS)
ASSESSMENT_PREFIX = "assessment."   # column `assessment.<id>` holds the value of [assessments.<id>]


@dataclass(frozen=True, slots=True)
class Measure:
    number: str
    title: str
    directions: tuple[str, ...] = ()   # the bullets under the (n) heading
    source_line: int | None = None


@dataclass(frozen=True, slots=True)
class Policy:
    ordinal: str
    title: str
    description: str = ""
    measures: tuple[Measure, ...] = ()
    source_line: int | None = None


@dataclass(frozen=True, slots=True)
class Goal:
    numeral: str
    title: str
    policies: tuple[Policy, ...] = ()
    source_line: int | None = None


def element_paths(goals: tuple[Goal, ...]) -> dict[str, tuple[str, ...]]:
    """Each goal, policy and measure by its published notation ('III-1-2'), with its path ('III', '1', '2')."""
    paths: dict[str, tuple[str, ...]] = {}
    for goal in goals:
        paths[goal.numeral] = (goal.numeral,)
        for policy in goal.policies:
            paths[f"{goal.numeral}-{policy.ordinal}"] = (goal.numeral, policy.ordinal)
            for measure in policy.measures:
                paths[f"{goal.numeral}-{policy.ordinal}-{measure.number}"] = (goal.numeral, policy.ordinal,
                                                                                 measure.number)
    return paths


@dataclass(frozen=True, slots=True)
class DeclaredCount:
    """One figure of a summary table as printed: never used as an answer, only compared.

    Its scope is a node of the plan's hierarchy: the whole report (no goal), a goal, a policy or a measure.
    `complete` is False where the rows of that scope are known not all to be in the records (a page read
    in part): the figure is then a bound the rows may not exceed, not one they must equal.
    """

    table: str            # the summary table: 'overall', 'by-goal' (Nishi), 'page' (Kawasaki), …
    goal: str | None      # None for a total over all goals
    label: str            # a result word, or '小計' / '合計'
    count: int
    source_line: int      # line of the source text, or of the declared-tallies CSV
    fiscal_year: int | None = None   # the report year it belongs to, where a source holds several
    policy: str | None = None
    measure: str | None = None
    complete: bool = True
    source: str = ""      # where it is printed, if not the source text (e.g. a page URL)
    assessment: str = ""  # the assessment the label is a value of ('' for the evaluation scale)
    priority: bool = False  # counts only the priority rows (うち重点)

    @property
    def scope(self) -> tuple[str, ...]:
        return tuple(p for p in (self.goal, self.policy, self.measure) if p)


@dataclass(frozen=True, slots=True)
class OutlineRow:
    """A node of the plan's hierarchy named outside the evaluation rows (by a declared tally's scope)."""

    fiscal_year: int | None
    goal: str
    goal_title: str
    policy: str
    policy_title: str
    measure: str
    measure_title: str


@dataclass(frozen=True, slots=True)
class MarkerDefinition:
    marker: str           # '※'
    meaning: str          # '新型コロナウイルス感染症の影響により目標を達成できなかった事業'
    source_line: int


@dataclass(frozen=True, slots=True)
class AppliedCorrection:
    line: int
    cell: int | None
    original: str
    corrected: str
    reason: str


@dataclass(frozen=True, slots=True)
class LineNote:
    """How one source line was accounted for."""

    line: int
    kind: str             # blank, title, summary-row, data-row, running-header, …
    detail: str = ""      # what it became, or why it was set aside


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """Something worth a reader's attention that does not stop reading (e.g. suspect OCR)."""

    where: str
    message: str


@dataclass(frozen=True)
class ProgressTable:
    """A whole progress report: document level plus the evaluation rows."""

    source_name: str
    title: str
    fiscal_year: int | None
    activities: tuple[Activity, ...]
    goals: tuple[Goal, ...] = ()
    declared: tuple[DeclaredCount, ...] = ()
    results: tuple[str, ...] = ("達成", "未達成")
    scope_note: str = ""
    markers: tuple[MarkerDefinition, ...] = ()
    legend: tuple[str, ...] = ()
    encoding: str = "utf-8"
    corrections: tuple[AppliedCorrection, ...] = ()
    lines: tuple[LineNote, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    metadata: SourceMetadata = field(default_factory=SourceMetadata)
    sha256: str = ""
    outline: tuple[OutlineRow, ...] = ()   # hierarchy nodes the declared tallies name

    @property
    def departments(self) -> tuple[str, ...]:
        return tuple(sorted({a.department for a in self.activities if a.department}))
