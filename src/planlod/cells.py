"""Parsers for single cell values: era years, number-cell markers, roman numerals, results.

They take printed strings and return plain values; they raise ValueError with a
sentence saying what was expected, and the caller adds the place.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Year 1 of each era, minus one: era year n is Gregorian year offset + n.
ERA_OFFSETS: dict[str, int] = {
    "M": 1867, "明治": 1867,
    "T": 1911, "大正": 1911,
    "S": 1925, "昭和": 1925,
    "H": 1988, "平成": 1988,
    "R": 2018, "令和": 2018,
}
# The last year of each closed era (H31 and R1 are both 2019).
ERA_LAST_YEAR: dict[int, int] = {1867: 45, 1911: 15, 1925: 64, 1988: 31}

_ERA_RE = re.compile(r"(明治|大正|昭和|平成|令和|[MTSHR])\s*(元|\d{1,2})")
_ERA_FULL_RE = re.compile(rf"^{_ERA_RE.pattern}$")
_ROMAN_RE = re.compile(r"^(X{0,3})(IX|IV|V?I{0,3})$")

# ※ marks a project in the number cell; PDF extraction sometimes gives * or ＊ for it.
MARKER = "※"
MARKER_STAND_INS = frozenset({"※", "*", "＊", "∗"})
# What a cell prints to say "nothing here" (e.g. no issues and direction for a target that was met).
PLACEHOLDERS = frozenset({"-", "－", "ー", "―", "‐"})


def fold(text: str) -> str:
    """Compatibility-fold text for *recognising* it (full-width digits, Ⅳ, spaces).

    Never used on text that is kept: published texts stay as printed.
    """
    return unicodedata.normalize("NFKC", text).strip()


def _era_year(era: str, number: str) -> int:
    offset = ERA_OFFSETS[era.upper() if len(era) == 1 else era]
    n = 1 if number == "元" else int(number)
    last = ERA_LAST_YEAR.get(offset)
    if n < 1 or (last is not None and n > last):
        raise ValueError(f"{era}{number} is not a year of that era")
    return offset + n


def parse_era_year(text: str) -> int:
    """'H31' -> 2019, 'R2' -> 2020, '令和元' -> 2019, '2020' -> 2020."""
    folded = fold(text)
    if re.fullmatch(r"\d{4}", folded):
        return int(folded)
    match = _ERA_FULL_RE.match(folded)
    if not match:
        raise ValueError(f"'{text}' is not a year (expected e.g. H31, R2, 令和2 or 2020)")
    return _era_year(match.group(1), match.group(2))


def find_era_year(text: str) -> int | None:
    """The first era year written anywhere in a text ('進行管理表（令和2年度実施事業）' -> 2020)."""
    folded = fold(text)
    for match in _ERA_RE.finditer(folded):
        start = match.start()
        # A single latin letter must not be the end of a word ('CSR2' is not R2).
        if len(match.group(1)) == 1 and start > 0 and folded[start - 1].isascii() and folded[start - 1].isalpha():
            continue
        try:
            return _era_year(match.group(1), match.group(2))
        except ValueError:
            continue
    return None


def format_era_year(year: int, era: str) -> str:
    """Inverse of parse_era_year for one era letter ('H', 2019 -> 'H31')."""
    return f"{era}{year - ERA_OFFSETS[era]}"


def parse_roman(text: str) -> str:
    """A goal numeral in canonical ASCII form: 'Ⅳ' -> 'IV'. Raises ValueError if not one."""
    folded = fold(text).upper()
    if not folded or not _ROMAN_RE.match(folded):
        raise ValueError(f"'{text}' is not a roman numeral (expected I, II, III, IV, …)")
    return folded


def roman_value(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for i, ch in enumerate(numeral):
        v = values[ch]
        total += -v if i + 1 < len(numeral) and values[numeral[i + 1]] > v else v
    return total


@dataclass(frozen=True, slots=True)
class NumberCell:
    """What a 事業番号 cell says: an optional ※ marker and an optional project number."""

    marked: bool
    number: int | None


def parse_number_cell(text: str) -> NumberCell:
    """'※ 1' -> marked 1; '3' -> 3; '※' or '*' -> marked, no number; '' -> nothing."""
    folded = fold(text)
    marked = False
    if folded and folded[0] in MARKER_STAND_INS:
        marked, folded = True, folded[1:].strip()
    if not folded:
        return NumberCell(marked, None)
    if folded.isdigit():
        return NumberCell(marked, positive_number(folded, "project"))
    raise ValueError(f"'{text}' is not a project number (expected e.g. 1, ※ 1 or ※)")


def positive_number(text: str, what: str) -> int:
    """The one rule for hierarchy numbers, read from a table or a CSV: whole numbers from 1."""
    folded = fold(text).strip()
    if not folded.isascii() or not folded.isdigit() or int(folded) < 1:
        raise ValueError(f"'{text}' is not a {what} number: {what} numbers are whole numbers from 1")
    return int(folded)


_LEADING_NUMBER_RE = re.compile(r"^\s*([0-9０-９]{1,3})\s+(\S.*)$", re.S)


def split_leading_number(text: str) -> tuple[int, str] | None:
    """'2 西区一斉クリーンデー' -> (2, '西区一斉クリーンデー'): a number fused into the name cell."""
    match = _LEADING_NUMBER_RE.match(text)
    if not match:
        return None
    return positive_number(match.group(1), "project"), match.group(2).strip()


def split_fused_result(text: str, results: tuple[str, ...]) -> tuple[str, str, str] | None:
    """A result word fused with other text in one cell, by a space.

    Returns (result, other, side) with side 'before' ('達成 区民生活課') or
    'after' ('地域課 未達成'), or None when the cell holds no such fusion.
    """
    parts = text.split()
    if len(parts) < 2:
        return None
    if parts[0] in results:
        return parts[0], " ".join(parts[1:]), "before"
    if parts[-1] in results:
        return parts[-1], " ".join(parts[:-1]), "after"
    return None


def parse_bool(text: str) -> bool:
    folded = fold(text).lower()
    if folded in {"true", "1", "yes"}:
        return True
    if folded in {"false", "0", "no", ""}:
        return False
    raise ValueError(f"'{text}' is not true or false")


def fiscal_year_label(year: int) -> str:
    """2020 -> '令和2年度', 2019 -> '令和元年度', 2018 -> '平成30年度'."""
    for era, offset in (("令和", 2018), ("平成", 1988), ("昭和", 1925)):
        if year > offset:
            n = year - offset
            return f"{era}{'元' if n == 1 else n}年度"
    return f"{year}年度"
