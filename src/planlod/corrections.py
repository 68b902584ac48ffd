"""Corrections are data: a CSV beside the source lists each fix with its reason.

They are applied to the source lines when reading, and remembered so that the
published data can say what was corrected. The source file itself is never edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import CorrectionError
from .text import CsvRows, read_text

CORRECTION_COLUMNS = ("line", "cell", "original", "corrected", "reason")


@dataclass(frozen=True, slots=True)
class Correction:
    line: int           # 1-based source line
    cell: int | None    # 1-based tab-separated cell, or None for the whole line
    original: str
    corrected: str
    reason: str
    where: str          # the corrections file and its line, for error messages


def read_corrections(path: Path) -> tuple[Correction, ...]:
    text = read_text(path).text
    reader = CsvRows(text, str(path), CorrectionError)
    missing = [c for c in CORRECTION_COLUMNS if c not in reader.fieldnames]
    if missing:
        raise CorrectionError(
            f"missing column(s) {', '.join(missing)}",
            where=f"{path}:1",
            hint=f"the header must be: {','.join(CORRECTION_COLUMNS)}",
        )
    found: list[Correction] = []
    for row in reader:
        where = f"{path}:{reader.line_num}"
        try:
            line = int(row["line"])
            cell = int(row["cell"]) if (row["cell"] or "").strip() else None
        except ValueError:
            raise CorrectionError("line and cell must be whole numbers", where=where) from None
        if line < 1 or (cell is not None and cell < 1):
            raise CorrectionError("line and cell count from 1", where=where)
        if not row["original"] or not (row["reason"] or "").strip():
            raise CorrectionError("a correction needs the original text and a reason", where=where)
        found.append(Correction(line, cell, row["original"], row["corrected"] or "", row["reason"].strip(), where))
    return tuple(found)


def apply_corrections(lines: list[str], corrections: tuple[Correction, ...], source_name: str) -> list[str]:
    """Return corrected lines; each correction's original text must be found exactly where it says."""
    fixed = list(lines)
    for c in corrections:
        if c.line > len(fixed):
            raise CorrectionError(
                f"line {c.line} is past the end of {source_name} ({len(fixed)} lines)",
                where=c.where,
                hint="is this corrections file meant for another version of the source?",
            )
        cells = fixed[c.line - 1].split("\t")
        if c.cell is None:
            target, place = fixed[c.line - 1], f"line {c.line}"
        elif c.cell <= len(cells):
            target, place = cells[c.cell - 1], f"line {c.line} cell {c.cell}"
        else:
            raise CorrectionError(f"line {c.line} has only {len(cells)} cells", where=c.where)
        if target.count(c.original) != 1:
            raise CorrectionError(
                f"'{c.original}' is not found exactly once in {place} of {source_name}",
                where=c.where,
                hint="is this corrections file meant for another version of the source?",
            )
        if c.cell is None:
            fixed[c.line - 1] = target.replace(c.original, c.corrected)
        else:
            cells[c.cell - 1] = target.replace(c.original, c.corrected)
            fixed[c.line - 1] = "\t".join(cells)
    return fixed
