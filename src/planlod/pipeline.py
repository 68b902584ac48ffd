"""The one place where stages are chained: source -> records (-> graph -> … later)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from rdflib import Graph

from .corrections import apply_corrections, read_corrections
from .csvio import read_records_csv, records_to_csv
from .errors import PlanlodError, SourceError
from .formats import BY_SUFFIX
from .graph import DEFAULT_BASE, build_graph
from .layout import read_layout
from .metadata import SourceMetadata, check_checksum, read_metadata, sidecar
from .records import AppliedCorrection, ProgressTable
from .tallies import TallyComparison, compare_tallies
from .text import decode_text
from .validate import RESOURCES, Outcome, validate_graph

BUNDLED_SOURCE = RESOURCES / "data" / "source" / "niigata-nishi-ward_vision-plan-3_progress_fy2020.txt"
METADATA_SUFFIX = ".meta.toml"
CORRECTIONS_SUFFIX = ".corrections.csv"


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
        table = read_records_csv(source_path, results=metadata.results,
                                 title=metadata.document.title)
        return replace(table, metadata=metadata, sha256=hashlib.sha256(source_path.read_bytes()).hexdigest())
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
    return replace(table, encoding=decoded.encoding, corrections=applied, metadata=metadata,
                   sha256=hashlib.sha256(data).hexdigest())


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


def validate_files(paths: list[Path], base: str = DEFAULT_BASE) -> tuple[Graph, Outcome]:
    data = Graph()
    for path in paths or [BUNDLED_SOURCE]:
        data += graph_of(path, base)
    return data, validate_graph(data)


@dataclass(frozen=True)
class BuildResult:
    table: ProgressTable
    outcome: Outcome
    published: bool
    files: int = 0


def build_site(source_path: Path | None, out_dir: Path, *, base: str = DEFAULT_BASE, site_url: str | None = None,
               progress: Callable[[str], None] = lambda _: None) -> BuildResult:
    """Source -> records -> graph -> validation -> publication. Non-conforming data is not published."""
    from .publish import publish  # the publishing stage pulls in jinja2; only `build` needs it

    progress("reading the source")
    table = read_progress_table(source_path or BUNDLED_SOURCE)
    progress("building the graph")
    graph = build_graph(table, base)
    progress("validating")
    outcome = validate_graph(graph)
    if not outcome.conforms:
        return BuildResult(table, outcome, False)
    ctx = publish(table, graph, outcome, out_dir, base=base, site_url=site_url, progress=progress)
    return BuildResult(table, outcome, True, len(ctx.files))
