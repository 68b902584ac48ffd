"""A collection of reports: one municipality (or ward) × plan × fiscal year each, built side by side.

Sources are progress-table texts or records CSVs, each with its `.meta.toml`. A records CSV may hold
several fiscal years (one plan's editions): each year is a report of its own. Two sources may not claim
the same file, and two reports may not share a municipality code, plan id and year (nor a dataset id).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from rdflib import Graph, URIRef

from .conformance import Conformance
from .csvio import goals_from_activities
from .errors import SourceError
from .graph.context import MappingContext
from .graph.iris import IriScheme
from .records import ProgressTable
from .validate import Outcome

SOURCE_SUFFIXES = (".txt", ".csv")
METADATA_SUFFIX = ".meta.toml"


def find_sources(folder: Path) -> list[Path]:
    """Every source under `folder`: a .txt or .csv beside a .meta.toml of the same name, sorted."""
    found = []
    for meta in sorted(folder.rglob("*" + METADATA_SUFFIX)):
        stem = meta.name[: -len(METADATA_SUFFIX)]
        sources = [meta.with_name(stem + suffix) for suffix in SOURCE_SUFFIXES
                   if meta.with_name(stem + suffix).is_file()]
        if len(sources) > 1:
            raise SourceError(f"both {sources[0].name} and {sources[1].name} claim this metadata", where=str(meta),
                              hint="keep one source per metadata file")
        found.extend(sources)
    if not found:
        raise SourceError("no sources found (a .txt or .csv beside a .meta.toml of the same name)",
                          where=str(folder), hint="name the sources with --source, or add them under data/")
    return found


def check_distinct_files(paths: Iterable[Path]) -> list[Path]:
    """The sources, each once: two names for one file (a link, a relative path) are refused."""
    seen: dict[Path, Path] = {}
    for path in paths:
        real = path.resolve()
        if real in seen:
            raise SourceError(f"this file is given twice (also as {seen[real]})", where=str(path),
                              hint="name each source once")
        seen[real] = path
    return list(seen.values())


def split_by_year(table: ProgressTable) -> list[ProgressTable]:
    """A records table holding several fiscal years as one report per year, in year order."""
    years = sorted({a.fiscal_year for a in table.activities})
    if len(years) <= 1:
        return [table if table.fiscal_year is not None or not years else replace(table, fiscal_year=years[0])]
    where = str(table.metadata.path or table.source_name)
    if table.metadata.publication.id:
        raise SourceError(f"[publication] id names one report, but the rows hold the years {years}", where=where,
                          hint="remove the id: each year's id is derived (<municipality>-<plan>-fy<year>)")
    if table.metadata.fiscal_year is not None:
        raise SourceError(f"[document] report_fiscal_year is {table.metadata.fiscal_year}, but the rows hold the "
                          f"years {years}", where=where, hint="remove it, or keep one year's rows in this file")
    reports: list[ProgressTable] = []
    for year in years:
        rows = tuple(a for a in table.activities if a.fiscal_year == year)
        outline = tuple(o for o in table.outline if o.fiscal_year == year)
        reports.append(replace(table, fiscal_year=year, activities=rows, outline=outline,
                               goals=goals_from_activities([*rows, *outline]), title=f"{table.title}({year}年度)",
                               declared=tuple(d for d in table.declared if d.fiscal_year in (None, year)),
                               diagnostics=() if reports else table.diagnostics))  # said once, by the first
    return reports


@dataclass(frozen=True, slots=True)
class ReportKey:
    code: str
    plan: str
    year: int

    def __str__(self) -> str:
        return f"municipality {self.code}, plan {self.plan}, FY{self.year}"


def check_distinct_reports(tables: Iterable[tuple[ProgressTable, str]]) -> None:
    """No two reports with the same municipality, plan and year, or the same dataset id."""
    keys: dict[ReportKey, str] = {}
    ids: dict[str, str] = {}
    for table, dataset_id in tables:
        meta = table.metadata
        where = str(meta.path or table.source_name)
        key = ReportKey(meta.publisher.ward_code, meta.plan.id, table.fiscal_year or 0)
        if key in keys:
            raise SourceError(f"this report ({key}) is also given by {keys[key]}", where=where,
                              hint="a report is one municipality × plan × fiscal year: keep one source for it")
        if dataset_id in ids:
            raise SourceError(f"the dataset id '{dataset_id}' is also used by {ids[dataset_id]}", where=where,
                              hint="give each report its own [publication] id")
        keys[key], ids[dataset_id] = where, where


@dataclass(frozen=True)
class Report:
    """One report of the collection: its records, graph, validation outcome and IRIs."""

    table: ProgressTable
    graph: Graph
    outcome: Outcome
    mapping: MappingContext
    conformance: Conformance = Conformance(())   # the standards' own rules (Data Cube, SKOS, vocabulary)

    @property
    def iris(self) -> IriScheme:
        return self.mapping.iris

    @property
    def dataset_id(self) -> str:
        return dataset_id_of(self.table, self.iris)

    @property
    def dataset_iri(self) -> URIRef:
        return self.iris.iri("dataset", self.dataset_id)

    @property
    def series_id(self) -> str:
        return self.table.metadata.publication.series_id or f"{self.iris.ward_code}-{self.iris.plan_id}"


def covid_meanings(reports: Iterable[Report]) -> dict[str, str]:
    """The meaning each report's source gives ※, by the report's IRI, for the reports whose source gives one."""
    return {str(r.iris.report()): r.table.markers[0].meaning for r in reports if r.table.markers}


def dataset_id_of(table: ProgressTable, iris: IriScheme) -> str:
    return table.metadata.publication.id or f"{iris.ward_code}-{iris.plan_id}-fy{iris.fiscal_year}"
