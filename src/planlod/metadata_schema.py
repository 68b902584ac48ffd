"""The kinds of value a metadata key may take, and where in the TOML text a key stands.

Values reach file names (dataset ids), IRIs (codes, ids), links (URLs) and typed literals (dates): each
kind is a strict pattern, so nothing later has to trust the file. A check returns None for a good value,
else what was expected; metadata.py names the kind of every key.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import SourceError

# A check returns None when the value is good, else what was expected.
Check = Callable[[Any], str | None]

_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?")
_URL = re.compile(r"https?://[^\s\"'<>\\^`{|}\x00-\x1f\x7f]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\x85]")


def _pattern(regex: re.Pattern[str] | str, expected: str) -> Check:
    compiled = re.compile(regex) if isinstance(regex, str) else regex
    return lambda v: None if isinstance(v, str) and compiled.fullmatch(v) else expected


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return "a text in quotes"
    return "a text without control characters" if _CONTROL.search(value) else None


def _url(value: Any) -> str | None:
    if isinstance(value, str) and _URL.fullmatch(value) and urlsplit(value).hostname:
        return None
    return "an absolute http:// or https:// URL without spaces, quotes or angle brackets"


def _date(value: Any) -> str | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return None
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            dt.date.fromisoformat(value)
            return None
        except ValueError:
            pass
    return "a date as YYYY-MM-DD, e.g. \"2026-11-29\""


def _year(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 1868 <= value <= 2200
    return None if ok else "a Gregorian year such as 2020 (a number, not in quotes)"


def _bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "true or false"


def _list_of(item: Check, expected: str) -> Check:
    return lambda v: None if isinstance(v, list) and v and all(item(i) is None for i in v) else expected


def _one_of(*choices: str) -> Check:
    return lambda v: None if v in choices else "one of " + ", ".join(f"'{c}'" for c in choices)


IDENT = _pattern(_ID, "an id of lower-case ASCII letters, digits and '-' (e.g. \"vision-3\"), at most 100")
CODE = _pattern(r"[0-9]{6}", "a 6-digit 全国地方公共団体コード with its check digit, in quotes, e.g. \"151076\"")
SAC = _pattern(r"C[0-9]{5}", "an e-Stat standard area code such as \"C15107\"")
TEXT, URL, DATE, YEAR, BOOL = _text, _url, _date, _year, _bool
LANGUAGE = _pattern(r"[a-z]{2,3}", "a language code such as \"ja\"")
MEDIA_TYPE = _pattern(r"[a-z]+/[a-z0-9.+-]+", "a media type such as \"application/pdf\"")
SHA256 = _pattern(r"[0-9a-f]{64}", "the file's sha256 as 64 lower-case hex digits")
EMAIL = _pattern(r"[^@\s<>\"]+@[^@\s<>\"]+\.[a-z]{2,}", "an e-mail address")
SPDX = _pattern(r"[A-Za-z0-9.+-]{1,64}", "an SPDX licence id such as \"CC-BY-4.0\"")
WORDS = _list_of(_pattern(r"[^\s\x00-\x1f\x7f]{1,40}", ""), "a list of the evaluation words, each without spaces")
TEXTS = _list_of(_text, "a list of texts")
THEMES = _list_of(_pattern(r"[A-Z_]{3,10}", ""), 'a list of EU data theme codes (e.g. "GOVE")')
PIVOT = _one_of("met", "not-met")


def line_of(text: str, table: str, key: str | None = None) -> int | None:
    """The 1-based line where [table] sets `key` (or where [table] starts), from the TOML text."""
    current, table_line = None, None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("[") and not stripped.startswith("[["):
            current = stripped.strip("[]").replace('"', "").replace(" ", "")
            if current == table.replace('"', "").replace(" ", ""):
                table_line = number
            continue
        if current == table.replace('"', "").replace(" ", "") and key is not None:
            name = stripped.split("=", 1)[0].strip().strip('"')
            if "=" in stripped and name == key:
                return number
    return table_line


def fail_at(path: Path, text: str, table: str, key: str | None, message: str, hint: str) -> SourceError:
    number = line_of(text, table, key)
    where = f"{path}:{number}" if number else str(path)
    return SourceError(message, where=where, hint=hint)
