"""Recognisers for whole lines outside the tables: headings, legend, running headers.

Each is a rule about the layout, never about a particular line number or ward.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..cells import MARKER, MARKER_STAND_INS, fold, parse_roman

_GOAL_RE = re.compile(r"^([IVX]+)\s+(\S.*)$")
_MEASURE_RE = re.compile(r"^\((\d{1,2})\)\s*(\S.*)$")
_POLICY_MARK = "◆"
_BULLET_PREFIXES = ("- ", "-\u3000", "・", "･", "‐ ", "－")


@dataclass(frozen=True, slots=True)
class Heading:
    key: str     # goal numeral or measure number as text
    title: str   # as printed


def squash(text: str) -> str:
    """Fold and drop all spaces: '合 計' and '目 次' are 合計 and 目次."""
    return re.sub(r"\s+", "", fold(text))


def match_goal_heading(line: str) -> Heading | None:
    """'III だれもが学び合える学術と文化のまち' (or Ⅲ) -> Heading('III', title)."""
    match = _GOAL_RE.match(fold(line))
    if not match:
        return None
    try:
        numeral = parse_roman(match.group(1))
    except ValueError:
        return None
    # Keep the printed title: cut the numeral off the original line, not the folded one.
    return Heading(numeral, _strip_numeral(line.strip()))


def _strip_numeral(text: str) -> str:
    i = 0
    while i < len(text) and fold(text[i]) and set(fold(text[i]).upper()) <= set("IVX"):
        i += 1
    return text[i:].strip()


def match_running_header(line: str) -> tuple[Heading, str] | None:
    """'I <goal title>◆<policy title>': the page header repeated at a page break."""
    if _POLICY_MARK not in line or line.lstrip().startswith(_POLICY_MARK):
        return None
    goal_part, _, policy_part = line.partition(_POLICY_MARK)
    heading = match_goal_heading(goal_part)
    if heading is None or not policy_part.strip():
        return None
    return heading, policy_part.strip()


def match_policy_heading(line: str) -> str | None:
    stripped = line.strip()
    if stripped.startswith(_POLICY_MARK) and len(stripped) > 1:
        return stripped[1:].strip()
    return None


def match_measure_heading(line: str) -> Heading | None:
    """'(1)子どもたちの健やかな育み' or '（2） 健やかに…' -> Heading('1', title)."""
    folded = fold(line)
    match = _MEASURE_RE.match(folded)
    if not match:
        return None
    printed = line.strip()
    close = max(printed.find(")"), printed.find("）"))
    return Heading(match.group(1), printed[close + 1:].strip())


def strip_bullet(line: str) -> tuple[bool, str]:
    """('- 子育てしやすい…') -> (True, '子育てしやすい…'); a plain line -> (False, line)."""
    stripped = line.strip()
    for prefix in _BULLET_PREFIXES:
        if stripped.startswith(prefix):
            return True, stripped[len(prefix):].strip()
    if stripped in {"-", "・"}:
        return True, ""
    return False, stripped


def match_marker_definition(line: str) -> tuple[str, str] | None:
    """A legend line defining a marker: '※:新型コロナ…' or '- ※：…' -> ('※', meaning)."""
    text = line.strip()
    while True:
        bullet, rest = strip_bullet(text)
        if not bullet or rest == text:
            break
        text = rest
    if len(text) > 2 and text[0] in MARKER_STAND_INS and text[1] in ":：":
        return MARKER, text[2:].strip()
    return None


def is_contents_heading(line: str) -> bool:
    return squash(line) in {"目次", "もくじ"}


def is_summary_heading(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("【") and stripped.endswith("】")


# Scripts that never occur inside Japanese words of such a report: a letter from one
# of them next to kana or kanji is OCR garbage (e.g. Cyrillic 'конкур' for コンク).
_FOREIGN_SCRIPTS = ("CYRILLIC", "HEBREW", "ARABIC", "ARMENIAN", "GEORGIAN", "THAI", "DEVANAGARI")


def find_foreign_letters(line: str) -> list[tuple[int, str, str]]:
    """Runs of letters from scripts foreign to a Japanese report: (column, run, script)."""
    runs: list[tuple[int, str, str]] = []
    i = 0
    while i < len(line):
        script = _script_of(line[i])
        if script:
            j = i
            while j < len(line) and _script_of(line[j]) == script:
                j += 1
            runs.append((i + 1, line[i:j], script.title()))
            i = j
        else:
            i += 1
    return runs


def _script_of(ch: str) -> str | None:
    name = unicodedata.name(ch, "")
    for script in _FOREIGN_SCRIPTS:
        if name.startswith(script):
            return script
    return None
