"""The small metadata file beside a source: document, plan, publisher, licence, layout."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import SourceError

_ASCII_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class SourceMetadata:
    path: Path | None = None
    document: dict[str, Any] = field(default_factory=dict)
    plan: dict[str, Any] = field(default_factory=dict)
    publisher: dict[str, Any] = field(default_factory=dict)
    licence: dict[str, Any] = field(default_factory=dict)
    results: tuple[str, ...] = ("達成", "未達成")
    result_terms: dict[str, dict[str, str]] = field(default_factory=dict)   # word -> id, en, pivot
    departments: dict[str, dict[str, str]] = field(default_factory=dict)    # name -> id, en
    publication: dict[str, Any] = field(default_factory=dict)               # catalog and site facts

    @property
    def fiscal_year(self) -> int | None:
        value = self.document.get("report_fiscal_year")
        return int(value) if value is not None else None


def sidecar(source_path: Path, suffix: str) -> Path:
    """data/source/x.txt -> data/source/x.meta.toml (suffix '.meta.toml')."""
    return source_path.with_name(source_path.stem + suffix)


def read_metadata(path: Path) -> SourceMetadata:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise SourceError(f"cannot read the metadata: {err.strerror}", where=str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise SourceError(f"the metadata is not valid TOML: {err}", where=str(path)) from None
    layout = data.get("layout", {})
    results = tuple(layout.get("results", ("達成", "未達成")))
    if not results or not all(isinstance(r, str) and r.strip() and " " not in r for r in results):
        raise SourceError("[layout] results must list the evaluation words, each without spaces", where=str(path))
    year = data.get("document", {}).get("report_fiscal_year")
    if year is not None and not isinstance(year, int):
        raise SourceError("[document] report_fiscal_year must be a Gregorian year such as 2020", where=str(path))
    result_terms = data.get("results", {})
    departments = data.get("departments", {})
    for table_name, table in (("results", result_terms), ("departments", departments)):
        for key, entry in table.items():
            if not isinstance(entry, dict) or not _ASCII_ID.match(str(entry.get("id", ""))):
                raise SourceError(f"[{table_name}.\"{key}\"] needs an id of lower-case ASCII letters, digits and '-'",
                                  where=str(path))
    for word, entry in result_terms.items():
        if entry.get("pivot") not in (None, "met", "not-met"):
            raise SourceError(f"[results.\"{word}\"] pivot must be 'met' or 'not-met'", where=str(path))
    return SourceMetadata(path, data.get("document", {}), data.get("plan", {}), data.get("publisher", {}),
                          data.get("licence", {}), results, result_terms, departments, data.get("publication", {}))


def check_checksum(metadata: SourceMetadata, data: bytes, source_name: str) -> None:
    expected = metadata.document.get("sha256")
    if expected and hashlib.sha256(data).hexdigest() != expected:
        raise SourceError(
            f"{source_name} is not the file its metadata describes (sha256 differs)",
            where=str(metadata.path),
            hint="the corrections refer to lines of that exact file: update the metadata and corrections together",
        )
