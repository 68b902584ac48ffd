"""Plain-text renderings for the terminal: --explain, the tally table, diagnostics."""

from __future__ import annotations

import unicodedata

from .records import ProgressTable
from .tallies import TallyComparison


def display_width(text: str) -> int:
    """Columns a terminal gives the text: two for each wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(width - display_width(text), 0)
    return space + text if right else text + space


def render_explain(table: ProgressTable) -> str:
    kinds = max((len(n.kind) for n in table.lines), default=5)
    digits = len(str(len(table.lines)))
    out = [f"{table.source_name}: read as {table.encoding} text"]
    out += [f"{table.source_name}:{n.line:<{digits}}  {n.kind:<{kinds}}  {n.detail}".rstrip() for n in table.lines]
    for c in table.corrections:
        place = f"line {c.line}" + (f" cell {c.cell}" if c.cell else "")
        out.append(f"corrected {place}: '{c.original}' -> '{c.corrected}' ({c.reason})")
    counts: dict[str, int] = {}
    for n in table.lines:
        counts[n.kind] = counts.get(n.kind, 0) + 1
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    out.append(f"{len(table.lines)} lines accounted for: {summary}; {len(table.activities)} evaluation rows.")
    return "\n".join(out) + "\n"


def render_tallies(table: ProgressTable, comparison: TallyComparison) -> str:
    header = ("table", "scope", "result", "computed", "declared", "")
    rows = [(line.table, line.scope, line.category, str(line.computed), str(line.declared), line.status)
            for line in comparison.lines]
    widths = [max(display_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    year = f"FY{table.fiscal_year}" if table.fiscal_year else "fiscal year unknown"
    out = [f"{table.title} ({year}): {len(table.activities)} evaluation rows", ""]
    for r in [header, *rows]:
        out.append("  ".join(pad(cell, widths[i], right=i in (3, 4)) for i, cell in enumerate(r)).rstrip())
    out.append("")
    if not comparison.lines:
        totals = ", ".join(f"{k} {v}" for k, v in sorted(comparison.computed_overall.items()))
        out.append(f"No declared tallies to compare with; computed: {totals}.")
    elif comparison.matches and all(line.complete for line in comparison.lines):
        out.append(f"All {len(comparison.lines)} declared figures are reproduced from the rows.")
    elif comparison.matches:
        partial = sum(not line.complete for line in comparison.lines)
        out.append(f"All {len(comparison.lines) - partial} declared figures of complete scopes are reproduced from "
                   f"the rows; {partial} cover rows not all captured (partial) and none is exceeded.")
    else:
        for line in comparison.mismatches:
            out.append(f"{line.scope} {line.category}: computed {line.computed}, declared {line.declared} "
                       f"({table.source_name}:{line.source_line})")
    return "\n".join(out) + "\n"


def render_diagnostics(table: ProgressTable) -> str:
    return "".join(f"Warning: {d.where}: {d.message}\n" for d in table.diagnostics)
