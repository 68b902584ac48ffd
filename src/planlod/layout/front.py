"""The front matter: title, notes, the declared summary table and the contents."""

from __future__ import annotations

from ..cells import fold
from ..errors import SourceError
from ..records import DeclaredCount, LineNote
from .lines import is_contents_heading, is_summary_heading, match_goal_heading, squash

TOTAL_WORDS = ("小計", "合計")


class FrontMatter:
    """Reads the lines before the first goal heading."""

    def __init__(self, source_name: str, results: tuple[str, ...]) -> None:
        self.source_name = source_name
        self.results = results
        self.title = ""
        self.title_line: int | None = None
        self.notes: list[str] = []
        self.declared: list[DeclaredCount] = []
        self.goal_titles: dict[str, str] = {}          # from the summary and the contents
        self.contents_policies: dict[tuple[str, int], str] = {}
        self._section: str | None = None
        self._summary_goal: str | None = None
        self._contents_goal: str | None = None

    def feed(self, n: int, line: str) -> LineNote:
        where = f"{self.source_name}:{n}"
        if "\t" in line:
            cells = [c.strip() for c in line.split("\t")]
            while cells and not cells[-1]:
                cells.pop()
            if self._section == "summary":
                return self._summary_row(n, cells, where)
            if self._section == "contents":
                return self._contents_row(n, cells, where)
            raise SourceError("a table row before any table heading", where=where,
                              hint="the summary table follows a 【…】 heading, the contents a 目次 heading")
        text = line.strip()
        if is_summary_heading(text):
            self._section, self._summary_goal = "summary", None
            return LineNote(n, "summary-heading", text)
        if is_contents_heading(text):
            self._section = "contents"
            return LineNote(n, "contents-heading", text)
        self._section = None
        if not self.title:
            self.title, self.title_line = text, n
            return LineNote(n, "title", text)
        self.notes.append(text)
        return LineNote(n, "note", "front-matter note (scope of the report)")

    def _label(self, text: str, where: str) -> str:
        word = squash(text)
        for known in (*self.results, *TOTAL_WORDS):
            if word == squash(known):
                return known
        raise SourceError(
            f"'{text}' in the summary table is not a result word or a total",
            where=where,
            hint=f"expected one of {', '.join((*self.results, *TOTAL_WORDS))}",
        )

    def _summary_row(self, n: int, cells: list[str], where: str) -> LineNote:
        count_text = fold(cells[-1]) if cells else ""
        if not count_text.isdigit():
            return LineNote(n, "summary-header", " | ".join(cells))
        count = int(count_text)
        if len(cells) == 2:
            goal, label, table = None, self._label(cells[0], where), "overall"
        elif len(cells) == 3:
            table = "by-goal"
            if cells[0] and not cells[1]:
                goal, label = None, self._label(cells[0], where)
            else:
                if cells[0]:
                    heading = match_goal_heading(cells[0])
                    if heading is None:
                        raise SourceError(f"'{cells[0]}' is not a goal (expected e.g. 'I <title>')", where=where)
                    self._summary_goal = heading.key
                    self.goal_titles.setdefault(heading.key, heading.title)
                if self._summary_goal is None:
                    raise SourceError("a summary row without its goal", where=where)
                goal, label = self._summary_goal, self._label(cells[1], where)
        else:
            raise SourceError(f"a summary row with {len(cells)} cells, expected 2 or 3", where=where)
        self.declared.append(DeclaredCount(table, goal, label, count, n))
        scope = f"goal {goal}" if goal else "all goals"
        return LineNote(n, "summary-row", f"declared {label} = {count} ({scope}, {table} table)")

    def _contents_row(self, n: int, cells: list[str], where: str) -> LineNote:
        entry = cells[0] if cells else ""
        heading = match_goal_heading(entry)
        if heading:
            self._contents_goal = heading.key
            self.goal_titles.setdefault(heading.key, heading.title)
            return LineNote(n, "contents-row", f"contents: goal {heading.key}")
        parts = entry.strip().split(maxsplit=1)
        number = fold(parts[0]) if parts else ""
        if len(parts) == 2 and number.isdigit() and self._contents_goal:
            self.contents_policies[(self._contents_goal, int(number))] = parts[1].strip()
            return LineNote(n, "contents-row", f"contents: goal {self._contents_goal} policy {number}")
        raise SourceError(f"'{entry}' is not a contents entry (a goal or a numbered policy)", where=where)
