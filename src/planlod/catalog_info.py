"""Who publishes a collection's catalog, under what title: data/catalog.toml, read like the metadata."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from . import metadata_schema as kind
from .errors import SourceError
from .metadata import SourceMetadata, metadata_key, typed_table
from .metadata_schema import fail_at


@dataclass(frozen=True)
class CatalogTable:
    title: str = metadata_key(kind.TEXT)
    title_en: str = metadata_key(kind.TEXT)
    description: str = metadata_key(kind.TEXT)
    description_en: str = metadata_key(kind.TEXT)
    homepage: str = metadata_key(kind.URL)
    issued: str = metadata_key(kind.DATE)
    modified: str = metadata_key(kind.DATE)


@dataclass(frozen=True)
class CatalogPublisher:
    id: str = metadata_key(kind.IDENT)          # the publisher's key under id/org/ (a municipality code, or a name)
    name: str = metadata_key(kind.TEXT)
    name_en: str = metadata_key(kind.TEXT)
    homepage: str = metadata_key(kind.URL)
    email: str = metadata_key(kind.EMAIL)


@dataclass(frozen=True)
class CatalogInfo:
    """Who publishes the collection's catalog, under what title (data/catalog.toml)."""

    path: Path | None = None
    catalog: CatalogTable = CatalogTable()
    publisher: CatalogPublisher = CatalogPublisher()


CATALOG_TABLES: dict[str, type] = {"catalog": CatalogTable, "publisher": CatalogPublisher}


def read_catalog_info(path: Path) -> CatalogInfo:
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as err:
        raise SourceError(f"cannot read the catalog file: {err.strerror}", where=str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise SourceError(f"the catalog file is not valid TOML: {err}", where=str(path)) from None
    for name in data:
        if name not in CATALOG_TABLES:
            raise fail_at(path, text, name, None, f"unknown table [{name}]", "known tables: catalog, publisher")
    tables = {name: typed_table(cls, data.get(name, {}), name, path, text) for name, cls in CATALOG_TABLES.items()}
    for table, key in (("catalog", "title"), ("catalog", "title_en"), ("publisher", "id"), ("publisher", "name"),
                       ("publisher", "name_en")):
        if not getattr(tables[table], key):
            raise fail_at(path, text, table, None, f"[{table}] {key} is missing", f"give [{table}] {key}")
    return CatalogInfo(path, tables["catalog"], tables["publisher"])


def derived_catalog_info(metadata: list[SourceMetadata], where: str) -> CatalogInfo:
    """The catalog of reports that all have one publisher: that publisher's, as for a single report."""
    codes = sorted({m.publisher.ward_code for m in metadata})
    if len(codes) != 1:
        raise SourceError(f"the reports have {len(codes)} publishers ({', '.join(codes)}): the catalog needs one",
                          where=where, hint="say who publishes the collection in a catalog file (--catalog; "
                                            "data/catalog.toml for the bundled data)")
    pub = metadata[0].publisher
    issued = min((m.publication.issued for m in metadata if m.publication.issued), default="")
    modified = max((m.publication.modified or m.publication.issued for m in metadata
                    if m.publication.issued), default="")
    return CatalogInfo(None, CatalogTable(
        f"{pub.office_name} 計画進行管理 Linked Open Data", f"{pub.office_name_en} plan progress Linked Open Data",
        "自治体の計画の進行管理表を Linked Open Data として公開するカタログ。",
        "A catalog of municipal plan progress reports published as Linked Open Data.",
        pub.homepage, issued, modified), CatalogPublisher(codes[0], pub.office_name, pub.office_name_en,
                                                          pub.homepage, pub.email))
