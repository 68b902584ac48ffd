"""The one place where stages are chained: source -> records -> graph -> validation -> publication (site)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SH

from .bundled import BUNDLED_CATALOG, BUNDLED_DATA, BUNDLED_SOURCE
from .catalog_info import derived_catalog_info, read_catalog_info
from .collection import (
    METADATA_SUFFIX,
    Report,
    check_distinct_files,
    check_distinct_reports,
    dataset_id_of,
    find_sources,
    split_by_year,
)
from .conformance import Conformance, FilesNotConforming, check_graph
from .corrections import apply_corrections, read_corrections
from .csvio import goals_from_activities, read_records_csv, records_to_csv
from .declared import read_declared_csv
from .errors import PlanlodError, SourceError
from .formats import BY_SUFFIX
from .graph import DEFAULT_BASE, build_graph
from .graph.context import make_context
from .large import LARGE_AT, build_large
from .layout import read_layout
from .metadata import SourceMetadata, check_checksum, read_metadata, sidecar
from .metadata_schema import line_of
from .records import AppliedCorrection, Diagnostic, ProgressTable, element_paths
from .tallies import TallyComparison, compare_tallies
from .text import decode_text
from .validate import Outcome, stable_report, validate_graph

CORRECTIONS_SUFFIX = ".corrections.csv"
DECLARED_SUFFIX = ".declared.csv"


def _optional_sidecar(explicit: Path | None, source_path: Path, suffix: str) -> Path | None:
    if explicit is not None:
        if not explicit.is_file():
            raise SourceError("no such file", where=str(explicit))
        return explicit
    candidate = sidecar(source_path, suffix)
    return candidate if candidate.is_file() else None


def read_progress_table(source_path: Path, *, corrections_path: Path | None = None,
                        metadata_path: Path | None = None) -> ProgressTable:
    """Read a progress table from its text extraction (or from a records CSV)."""
    meta_path = _optional_sidecar(metadata_path, source_path, METADATA_SUFFIX)
    metadata = read_metadata(meta_path) if meta_path else SourceMetadata()
    if source_path.suffix.lower() == ".csv":
        table = read_records_csv(source_path, results=metadata.results, title=metadata.document.title,
                                 assessments=metadata.assessments)
        declared_path = sidecar(source_path, DECLARED_SUFFIX)
        if declared_path.is_file():
            declared, outline = read_declared_csv(declared_path, metadata.results, metadata.assessments)
            table = replace(table, declared=declared, outline=outline,
                            goals=goals_from_activities([*table.activities, *outline]))
            years = {a.fiscal_year for a in table.activities}
            orphans = [d for d in declared if d.fiscal_year not in years]
            if orphans:  # no report of that year to compare them in: said, not dropped silently
                table = replace(table, diagnostics=(*table.diagnostics, Diagnostic(
                    f"{declared_path}:{orphans[0].source_line}",
                    f"{len(orphans)} declared figures of fiscal year(s) "
                    f"{sorted({d.fiscal_year or 0 for d in orphans})} have no rows of that year; they are not "
                    f"compared (lines {', '.join(str(d.source_line) for d in orphans)})")))
        table = replace(table, metadata=metadata, sha256=hashlib.sha256(source_path.read_bytes()).hexdigest())
        check_fields(table)
        return table
    try:
        data = source_path.read_bytes()
    except OSError as err:
        raise SourceError(f"cannot read the file: {err.strerror}", where=str(source_path)) from None
    name = str(source_path)
    decoded = decode_text(data, name)
    check_checksum(metadata, data, name)
    lines = decoded.lines
    fix_path = _optional_sidecar(corrections_path, source_path, CORRECTIONS_SUFFIX)
    corrections = read_corrections(fix_path) if fix_path else ()
    lines = apply_corrections(lines, corrections, name)
    table = read_layout(lines, name, results=metadata.results, fiscal_year=metadata.fiscal_year)
    applied = tuple(AppliedCorrection(c.line, c.cell, c.original, c.corrected, c.reason) for c in corrections)
    table = replace(table, encoding=decoded.encoding, corrections=applied, metadata=metadata,
                    sha256=hashlib.sha256(data).hexdigest())
    check_fields(table)
    return table


def check_fields(table: ProgressTable) -> None:
    """Every element the metadata maps to a field is an element of this source's plan."""
    notations = element_paths(table.goals)
    meta = table.metadata
    for notation in sorted(meta.fields):
        if notation not in notations and meta.path is not None:
            line = line_of(meta.path.read_text(encoding="utf-8"), "fields", notation)
            raise SourceError(f"[fields] maps '{notation}', which is no goal, policy or measure of this plan",
                              where=f"{meta.path}:{line}" if line else str(meta.path),
                              hint="use the notation the element is published with (goal 'III', policy 'III-1', "
                                   "measure 'III-1-2')")


def check_progress_table(table: ProgressTable) -> TallyComparison:
    return compare_tallies(table)


def write_text_atomically(path: Path, text: str) -> None:
    """Write beside the target, then swap: a failed run never leaves a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600: an output file is for others to read too
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def extract_records(source_path: Path, out_path: Path | None, **options: Path | None) -> tuple[ProgressTable, str]:
    table = read_progress_table(source_path, **options)
    text = records_to_csv(table.activities)
    if out_path is not None:
        write_text_atomically(out_path, text)
    return table, text


def graph_of(path: Path, base: str = DEFAULT_BASE) -> Graph:
    """An RDF file parsed by its suffix, or a progress table (text or records CSV) mapped to RDF."""
    rdf_format = BY_SUFFIX.get(path.suffix.lower())
    if rdf_format is None:
        return build_graph(read_progress_table(path), base)
    try:
        return Graph().parse(path, format=rdf_format.name)
    except Exception as err:  # rdflib's parsers raise many types; each means the file is not valid RDF
        raise PlanlodError(f"not valid {rdf_format.label}: {err}", where=str(path)) from None


def validate_files(paths: list[Path], base: str = DEFAULT_BASE, engine: str = "planlod") -> tuple[Graph, Outcome]:
    data = Graph()
    for path in paths or [BUNDLED_SOURCE]:
        data += graph_of(path, base)
    return data, validate_graph(data, engine=engine)


@dataclass(frozen=True)
class BuildResult:
    reports: tuple[Report, ...]
    outcome: Outcome
    published: bool
    files: int = 0
    conformance: tuple[tuple[str, Conformance], ...] = ()   # (what was checked, its result)
    rows: int | None = None     # evaluations, where the reports are kept without their rows (large.py)

    @property
    def conforms(self) -> bool:
        return self.outcome.conforms and all(c.conforms for _, c in self.conformance)

    @property
    def evaluations(self) -> int:
        return self.rows if self.rows is not None else sum(len(r.table.activities) for r in self.reports)


def rows_in_sources(sources: list[Path]) -> int:
    """The evaluations the sources hold at most, without reading them: a records CSV's lines past its
    header (a source text is one report, small by nature). Decides between the small and large paths."""
    total = 0
    for source in sources:
        if source.suffix.lower() == ".csv":
            with source.open("rb") as handle:
                total += max(sum(1 for _ in handle) - 1, 0)
    return total


def _build_large(sources: list[Path], out_dir: Path, base: str, site_url: str | None, catalog_path: Path | None,
                 workers: int | None, progress: Callable[[str], None]) -> BuildResult:
    metadata = [sidecar(s, METADATA_SUFFIX) for s in sources]   # optional, as on the small path
    catalog_info = (read_catalog_info(catalog_path) if catalog_path else derived_catalog_info(
        [read_metadata(m) if m.is_file() else SourceMetadata() for m in metadata], str(sources[0])))
    reports, outcome, rows, files = build_large(sources, out_dir, catalog_info, base=base,
                                                site_url=site_url or base, workers=workers, progress=progress)
    checked = tuple((str(r.dataset_iri), r.conformance) for r in reports)
    return BuildResult(reports, outcome, outcome.conforms and all(c.conforms for _, c in checked), files, checked,
                       rows=rows)


def read_reports(source_path: Path) -> list[ProgressTable]:
    """The reports one source gives: one, or one per fiscal year of a records CSV."""
    return split_by_year(read_progress_table(source_path))


def read_collection(sources: list[Path], progress: Callable[[str], None] = lambda _: None) -> list[ProgressTable]:
    """Each source read and split into its reports (in source order); nothing mapped yet."""
    tables = []
    for source in check_distinct_files(sources):
        progress(f"reading {source.name}")
        tables.extend(read_reports(source))
    return tables


def build_reports(sources: list[Path], base: str = DEFAULT_BASE,
                  progress: Callable[[str], None] = lambda _: None) -> tuple[Report, ...]:
    """The sources read, split into reports, each mapped and validated on its own."""
    return map_reports(read_collection(sources, progress), base, progress)


def map_reports(tables: list[ProgressTable], base: str = DEFAULT_BASE,
                progress: Callable[[str], None] = lambda _: None) -> tuple[Report, ...]:
    """Each report mapped and validated on its own; two reports may not be the same one."""
    contexts = [make_context(table, base) for table in tables]
    check_distinct_reports((t, dataset_id_of(t, c.iris)) for t, c in zip(tables, contexts, strict=True))
    reports = []
    for table, mapping in zip(tables, contexts, strict=True):
        progress(f"mapping and validating {mapping.iris.report()}")
        graph = build_graph(table, base, mapping)
        outcome = validate_graph(graph, report_base=f"{mapping.iris.report('validation')}/")
        reports.append(Report(table, graph, outcome, mapping, check_graph(graph)))
    return tuple(reports)


def combine_outcomes(reports: tuple[Report, ...]) -> Outcome:
    """The reports' validation results as one: conforming when each conforms; one report graph."""
    graph = Graph(store="SimpleMemory")
    # rdflib's default prefixes and SHACL's bound now (rdflib binds its defaults when a graph's namespace manager
    # is first made): planlod's Turtle writes the report then, where it declined a predicate without a prefix
    graph.namespace_manager.bind("sh", SH)
    for report in reports:
        graph += stable_report(report.outcome.report, f"{report.iris.report('validation')}/")
    return Outcome(all(r.outcome.conforms for r in reports), graph,
                   tuple(issue for r in reports for issue in r.outcome.issues))


def build_site(sources: list[Path] | None, out_dir: Path, *, base: str = DEFAULT_BASE, site_url: str | None = None,
               catalog_path: Path | None = None, large: bool | None = None, workers: int | None = None,
               progress: Callable[[str], None] = lambda _: None) -> BuildResult:
    """Sources -> records -> graphs -> validation -> publication. Non-conforming data is not published.

    Without sources, every source under the bundled data/ is built, with data/catalog.toml. Above
    LARGE_AT evaluations (or with large=True) the reports are streamed (large.py)."""
    from .publish import write_site  # the site stage pulls in jinja2; only `build` needs it

    if not sources:
        sources = find_sources(BUNDLED_DATA)
        if catalog_path is None and BUNDLED_CATALOG.is_file():
            catalog_path = BUNDLED_CATALOG
    if large is None:
        large = rows_in_sources(sources) > LARGE_AT
    if large:
        return _build_large(sources, out_dir, base, site_url, catalog_path, workers, progress)
    tables = read_collection(sources, progress)
    catalog_info = (read_catalog_info(catalog_path) if catalog_path
                    else derived_catalog_info([t.metadata for t in tables], str(sources[0])))
    reports = map_reports(tables, base, progress)
    outcome = combine_outcomes(reports)
    checked = tuple((str(r.dataset_iri), r.conformance) for r in reports)
    unpublished = BuildResult(reports, outcome, False, conformance=checked)
    if not unpublished.conforms:
        return unpublished
    try:
        ctx = write_site(reports, outcome, catalog_info, out_dir, base=base, site_url=site_url, progress=progress)
    except FilesNotConforming as failed:
        return BuildResult(reports, outcome, False, conformance=(*checked, ("site files", failed.conformance)))
    return BuildResult(reports, outcome, True, len(ctx.files), checked)
