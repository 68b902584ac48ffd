"""The small metadata file beside a source: document, plan, publisher, licence, layout."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import SourceError
from .metadata_schema import check_metadata


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
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as err:
        raise SourceError(f"cannot read the metadata: {err.strerror}", where=str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise SourceError(f"the metadata is not valid TOML: {err}", where=str(path)) from None
    check_metadata(data, text, path)
    layout = data.get("layout", {})
    results = tuple(layout.get("results", ("達成", "未達成")))
    return SourceMetadata(path, data.get("document", {}), data.get("plan", {}), data.get("publisher", {}),
                          data.get("licence", {}), results, data.get("results", {}), data.get("departments", {}),
                          data.get("publication", {}))


def check_checksum(metadata: SourceMetadata, data: bytes, source_name: str) -> None:
    expected = metadata.document.get("sha256")
    if expected and hashlib.sha256(data).hexdigest() != expected:
        raise SourceError(
            f"{source_name} is not the file its metadata describes (sha256 differs)",
            where=str(metadata.path),
            hint="the corrections refer to lines of that exact file: update the metadata and corrections together",
        )
