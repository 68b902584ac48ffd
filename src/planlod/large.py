"""Large collections: each report streamed from its records to its files, never the collection in memory.

`planlod build` takes this path above LARGE_AT evaluations (or with --large). Per report, in worker
processes (one per core): the mapping rules' triples written as sorted N-Triples without an rdflib Graph
(the bytes the Graph would give: test_large), validated by the compiled shapes (planlod.shacl) and checked
against the standards' own rules (Data Cube, SKOS, vocabulary: conformance.check_index, on the same index), its
records CSV with CSVW metadata and spreadsheet CSV, its counts for the home page, and what its plan's next
edition is compared with (`EditionFacts`, on disk). Then, by another process, an on-disk Oxigraph store
loaded from the dumps (`.store/`, which `planlod serve` opens read-only) on both cores while the main process
writes the validation report, the vocabulary, the queries and each plan's changes between editions
(`data/<series>-changes.csv`, a plan at a time) and, at a lower priority, the catalog; beside the store's
compaction, which uses one core, the collection's N-Quads by a third process (each report's sorted block, in
dataset order, as the small path writes it), the store's count, and with it VoID (sizes, subsets, dumps),
the home and data pages and the SPARQL editor. All beside the site, swapped in at the end.

Not written at this size (README, "Large collections"): per-resource pages and their Turtle / JSON-LD
twins (`planlod serve` renders them on demand, a plan's with its editions: serve/pages.py), per-report Turtle
and JSON-LD, the report, comparison and search pages, VoID's distinct counts and partitions, and the checks
of those files (CSVW, JSON-LD).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph
from rdflib.namespace import DCAT, RDFS

from . import ntriples
from .bundled import SHAPES_PATH
from .catalog_info import CatalogInfo
from .collection import Report, check_distinct_files, check_distinct_reports, covid_meanings, dataset_id_of
from .conformance import Conformance, check_index, shared
from .errors import PlanlodError
from .formats import DATASET_FORMATS, N_TRIPLES
from .graph import RULES
from .graph.context import MappingContext, make_context
from .graph.structure import Triple
from .nquads import nquads_size, write_nquads
from .ntriples import slices, write_ntriples
from .processes import Watched, at_low_priority, ordered_map, send
from .records import ProgressTable
from .shacl import compiled, reads_of
from .shacl.facts import Facts
from .tallies import ReportCounts, report_counts
from .validate import Outcome, validate_triples

if TYPE_CHECKING:   # imported where used: a worker's start-up needs few of them
    from multiprocessing.synchronize import Event

    from .editions import Edition
    from .publish.context import PublishContext

LARGE_AT = 20_000      # evaluations: above, the large path (documented in the README)
STORE_DIR = ".store"   # the on-disk Oxigraph store, in the site folder; a dot folder, so never served as files
EDITIONS_DIR = ".editions"   # each report's EditionFacts, from its worker; read and removed before the swap


def report_triples(ctx: MappingContext) -> Iterator[Triple]:
    return (t for rule in RULES for t in rule(ctx))


@dataclass(frozen=True)
class Mapped:
    """What the main process keeps of one report: its light form, counts and written files."""

    report: Report            # the table without its rows; a graph of the few facts the catalog reads
    counts: ReportCounts      # what the index says of it, computed from its rows
    triples: int
    files: tuple[tuple[str, str, int, str], ...]    # (path, media type, bytes, sha256)


@dataclass(frozen=True)
class Failed:
    message: str
    where: str | None
    hint: str | None


def light_report(table: ProgressTable, ctx: MappingContext, facts: Facts, outcome: Outcome,
                 conformance: Conformance) -> Report:
    fiscal_year = ctx.iris.fiscal_year_iri(table.fiscal_year or 0)
    graph = Graph(store="SimpleMemory")   # a third of the default store's size in the main process
    for p in (DCAT.startDate, DCAT.endDate, RDFS.label):
        for o in facts.objects(fiscal_year, p):
            graph.add((fiscal_year, p, o))
    light = replace(table, activities=(), outline=(), declared=(), lines=(), goals=())
    # the results' graph stays with the worker, written to disk (publish/validation_file.py); the issues come
    return Report(light, graph, Outcome(outcome.conforms, Graph(store="SimpleMemory"), outcome.issues),
                  MappingContext(light, ctx.iris, {}, {}, ()), conformance)


@cache
def _sparql_predicates() -> frozenset[str] | None:
    """The N-Triples text of the predicates the shapes' SPARQL constraints read (None: any), once a process:
    their store gets only those lines."""
    reads = reads_of(compiled(SHAPES_PATH).shapes)
    return None if reads is None else frozenset(p.n3() for p in reads)


def map_report(table: ProgressTable, base: str, out: Path) -> Mapped:
    """One report's sorted N-Triples written (in runs merged from disk when it is huge) and validated from an
    index made in the same pass over its triples (which are not kept as well), its CSVs and counts."""
    from .editions import edition_facts
    from .publish.context import PublishContext, WrittenFile
    from .publish.dumps import dump_name, write_report_records, write_spreadsheet
    from .publish.validation_file import RESULTS_DIR, write_report_results

    ctx = make_context(table, base)
    dataset_id = dataset_id_of(table, ctx.iris)
    name = dump_name(dataset_id, N_TRIPLES.suffix)
    (out / name).parent.mkdir(parents=True, exist_ok=True)
    facts = Facts()
    written = write_ntriples(facts.passing(report_triples(ctx)), out / name, copy_predicates=_sparql_predicates())
    try:
        outcome = validate_triples(facts, ntriples=out / name if written.copy is None else written.copy,
                                   report_base=f"{ctx.iris.report('validation')}/")
    finally:
        if isinstance(written.copy, Path):
            written.copy.unlink()
    write_report_results(outcome, f"{ctx.iris.report('validation')}/", out / RESULTS_DIR, dataset_id)
    conformance = check_index(facts.out)   # the standards' own rules, on the same index (~29 µs a row)
    full = Report(table, Graph(), outcome, ctx)
    site = PublishContext((full,), Graph(), outcome, None, base, base, out)  # type: ignore[arg-type]
    site.files[name] = WrittenFile(name, N_TRIPLES.media_type, written.byte_size, written.sha256)
    write_report_records(site, full)
    write_spreadsheet(site)
    # what the plan's next edition is compared with (the graph is not kept): on disk, a plan at a time is read
    (out / EDITIONS_DIR).mkdir(exist_ok=True)
    (out / EDITIONS_DIR / f"{dataset_id}.json").write_text(edition_facts(facts, ctx.iris.plan()).to_json(),
                                                           encoding="utf-8")
    files = tuple((f.path, f.media_type, f.byte_size, f.sha256) for f in site.files.values())
    return Mapped(light_report(table, ctx, facts, outcome, conformance), report_counts(table), written.lines, files)


def _fewer_collections() -> None:
    """Python's cyclic collector, run every 700 allocations, cost ~15% of the mapping: the triples are
    acyclic and a report's objects die with it, so it runs rarely, over the objects made after start-up."""
    gc.freeze()
    gc.set_threshold(100_000, 50, 1000)


def _map_source(job: tuple[Path, str, Path]) -> list[Mapped] | Failed:
    from .pipeline import read_reports

    source, base, out = job
    try:
        return [map_report(table, base, out) for table in read_reports(source)]
    except PlanlodError as err:  # sent back as data: the main process stops with its place and hint
        return Failed(err.message, err.where or str(source), err.hint)


def map_sources(sources: list[Path], base: str, out: Path, workers: int,
                progress: Callable[[str], None]) -> Iterator[Mapped]:
    """Each source's reports mapped in `workers` processes, in source order; the first failure stops all."""
    jobs = [(source, base, out) for source in check_distinct_files(sources)]
    if workers <= 1:
        thresholds = gc.get_threshold()
        _fewer_collections()
        try:
            results: Iterator[list[Mapped] | Failed] = map(_map_source, jobs)
            yield from _unpack(results, jobs, progress)
        finally:
            gc.set_threshold(*thresholds)
            gc.unfreeze()
        return
    # a worker killed (for want of memory on a huge report) is an error, where Pool.imap would wait for ever
    yield from _unpack(ordered_map(_map_source, jobs, workers, name="mapping", initializer=_fewer_collections),
                       jobs, progress)


def _unpack(results: Iterator[list[Mapped] | Failed], jobs: list[tuple[Path, str, Path]],
            progress: Callable[[str], None]) -> Iterator[Mapped]:
    for n, result in enumerate(results, 1):
        if isinstance(result, Failed):
            raise PlanlodError(result.message, where=result.where, hint=result.hint)
        progress(f"mapped and validated {n}/{len(jobs)} sources")
        yield from result


def load_store(folder: Path, dumps: Iterable[Path], slice_bytes: int, threads: int = 2,
               loads_ended: Event | threading.Event | None = None) -> int:
    """The on-disk Oxigraph store of the reports' dumps, loaded after the mapping by another process while the
    main process writes the rest; the number of triples it holds, also sent (processes.send) as soon as it is
    counted. The end of its loads is signalled (`loads_ended`, whether they loaded or failed): what waits for
    the cores starts beside the compaction.

    Loaded beside the mapping (which the build did from 500,000 evaluations until 2026-12-06), RocksDB compacted
    each load's SST files soon after, over and over, and the workers and the load shared the cores: 1,000,000
    evaluations took 362-382 s (mapping 303-319 s, the main process ~330 CPU-s); loaded after, 336.8 s (mapping
    164 s, the store ~206-221 CPU-s; 321.8 s with the N-Quads niced, _write_nquads_aside). Reports smaller than a
    slice are gathered into one load of about `slice_bytes` (SLICE_BYTES): each bulk load costs ~4 ms of CPU however
    small (1,918 reports of 100 rows: 56 CPU-s loaded one by one, 40 gathered). `threads` loads run at once (the
    store is one set of triples, whatever the order): one used ~1.5 cores. Memory stays bounded: the whole N-Quads
    at once took ~1.7 GB at 100k; a slice takes ~10 times its size.
    Every report goes to the default graph, as the small path's store holds the dumps: at 100,000 evaluations
    that loads a third faster than a named graph per report (three indexes, not six) and answers joins ~10x
    faster than the union of named graphs; the named graphs are in data/all.nq for other engines."""
    import pyoxigraph as ox

    try:
        store = ox.Store(str(folder))
        pieces = _pieces(dumps, slice_bytes)
        lock = threading.Lock()

        def load() -> None:
            while True:
                with lock:
                    piece = next(pieces, None)
                if piece is None:
                    return
                # lenient: the text was written by ntriples.write_ntriples, which checked each IRI with Oxigraph's
                # own parser (literals it writes with rdflib's escaping); parsing it again unchecked is ~7% faster.
                store.bulk_load(piece, format=ox.RdfFormat.N_TRIPLES, lenient=True)

        with ThreadPoolExecutor(threads) as pool:
            for done in [pool.submit(load) for _ in range(threads)]:
                done.result()
    finally:   # what waits for the cores the loads used goes on (an error is raised where the store is asked for)
        if loads_ended is not None:
            loads_ended.set()
    # The loads' SST files compacted now (~45 s on one core at 1,000,000 evaluations): left as they were (22
    # files at 100,000 evaluations, 10 after), the store opened read-only answered the example queries ~4 times
    # slower (declared-vs-computed 31.8 s, 7.2 s after; 0.9 s to compact), and a read-only store never compacts.
    # Its triples are counted meanwhile, on another core (4.2 s at 1,000,000 evaluations; a read, which the
    # compaction does not change), and the count sent at once: what gives it is written beside the compaction.
    with ThreadPoolExecutor(1) as compacting:
        compaction = compacting.submit(store.optimize)
        count = len(store)
        send(count)
        compaction.result()
    store.flush()
    return count   # closed as the function returns


def _pieces(dumps: Iterable[Path], slice_bytes: int) -> Iterator[bytes]:
    """The dumps' N-Triples in pieces of about `slice_bytes`: small ones gathered (whole files, each ending at
    a line's end, so their concatenation is N-Triples), a large one alone in slices of whole lines."""
    pending: list[bytes] = []
    pending_bytes = 0
    for dump in dumps:
        size = dump.stat().st_size
        if size >= slice_bytes:
            yield from slices(dump, slice_bytes)
            continue
        pending.append(dump.read_bytes())
        pending_bytes += size
        if pending_bytes >= slice_bytes:
            yield b"".join(pending)
            pending, pending_bytes = [], 0
    if pending:
        yield b"".join(pending)


def build_large(sources: list[Path], out_dir: Path, catalog_info: CatalogInfo, *, base: str, site_url: str,
                workers: int | None = None, progress: Callable[[str], None] = lambda _: None,
                ) -> tuple[tuple[Report, ...], Outcome, int, int]:
    """The large path: (light reports, the validation outcome, evaluations, files written). The store loads
    after the mapping (load_store says why)."""
    from . import publish
    from .pipeline import combine_outcomes
    from .publish.conformance_report import write_collection_conformance
    from .publish.context import PublishContext, WrittenFile
    from .publish.editor import write_editor
    from .publish.index import GraphIndex
    from .publish.pages import write_data_page, write_index, write_queries_page
    from .publish.reference import write_shapes_page, write_vocab_page
    from .publish.render import Renderer
    from .publish.swap import new_build_folder, swap_in
    from .publish.validation_file import RESULTS_DIR, write_validation_report
    from .publish.void import StreamedSize
    from .serve.pages import write_site_info

    out_dir = out_dir.resolve()
    temp = new_build_folder(out_dir)
    try:
        from .publish.dumps import dump_name

        mapped = list(map_sources(sources, base, temp, workers or min(2, os.cpu_count() or 1), progress))
        reports = tuple(replace(m.report, conformance=shared(m.report.conformance)) for m in mapped)
        check_distinct_reports((r.table, dataset_id_of(r.table, r.iris)) for r in reports)
        outcome = combine_outcomes(reports)
        files = {path: WrittenFile(path, media, size, sha) for m in mapped for path, media, size, sha in m.files}
        evaluations = sum(m.counts.evaluations for m in mapped)
        if not outcome.conforms or not all(r.conformance.conforms for r in reports):
            shutil.rmtree(temp, ignore_errors=True)
            return reports, outcome, evaluations, 0
        ctx = PublishContext(reports, Graph(), outcome, catalog_info, base, site_url, temp, files, pages=False,
                             report_counts={m.report.dataset_id: m.counts for m in mapped})
        # The store and the collection's N-Quads (a gigabyte at 100,000 evaluations) are made by other processes
        # while what does not name them is (the rest of the build uses one core): a thread waited for the GIL
        # between its reads and writes while the validation report was serialized (44 s at 1,000,000).
        # Watched processes: one killed (for want of memory) is an error, not a wait for ever; leaving the block
        # on an error ends them rather than waiting.
        blocks = sorted((m.report.dataset_id, str(m.report.dataset_iri)) for m in mapped)
        dumps = [temp / dump_name(m.report.dataset_id, N_TRIPLES.suffix) for m in mapped]
        loads_ended = multiprocessing.get_context("spawn").Event()
        with Watched("on-disk store", load_store, temp / STORE_DIR, dumps, ntriples.SLICE_BYTES, 2, loads_ended) \
                as store, Watched("collection N-Quads", _write_nquads_aside, blocks, temp, loads_ended) as nquads:
            for output in (publish._vocabulary, publish._queries, publish.write_conneg):
                progress(output.__name__.lstrip("_"))
                output(ctx)
            progress("report")
            write_validation_report(ctx, temp / RESULTS_DIR)
            publish.write_assets(ctx)
            renderer = Renderer(ctx, GraphIndex.of(Graph()))
            write_collection_conformance(ctx, renderer)   # before the catalog, which lists it
            progress("editions")
            editions = _write_editions(ctx, temp / EDITIONS_DIR)   # each plan's changes CSV
            write_site_info(temp, base, site_url, [(r.dataset_id, str(r.iris.report()), str(r.iris.plan()),
                                                    str(r.iris.ward_office())) for r in reports],
                            covid_meanings(reports), editions)
            # The store's loads use both cores and its compaction one (~45-55 s at 1,000,000 evaluations): the
            # N-Quads wait for the loads' end; the catalog, whose cost grows with the reports (~4.5 ms each) where
            # the room beside the compaction grows with the triples, is made in a thread of lower priority, which
            # takes what the store leaves, during the loads and beside the compaction (the runs that chose this:
            # docs/decisions/20261202-scale.md). The catalog's plans are checked and written while the N-Quads are
            # written; its head, which gives their size and checksum, after.
            progress("catalog")

            def nquads_written() -> None:
                progress("collection N-Quads")
                name, size, sha = nquads.receive(watching=(store,))   # it waits for the store's loads
                if (name, size) != (expected := nquads_size(mapped)):
                    raise RuntimeError(f"the N-Quads were to be {expected}; written: {name}, {size} bytes")
                files[name] = WrittenFile(name, DATASET_FORMATS[0].media_type, size, sha)

            at_low_priority(lambda: publish.write_catalog(ctx, before_head=nquads_written))
            progress("on-disk store: counting")
            triples = store.receive()
            # Triples the reports share (a fiscal year's label) are held once: between the largest report and all.
            if not max((m.triples for m in mapped), default=0) <= triples <= sum(m.triples for m in mapped):
                raise PlanlodError(f"the store holds {triples} triples, the reports "
                                   f"{sum(m.triples for m in mapped)}", where=str(temp / STORE_DIR))
            # VoID gives the store's count; the home, data and editor pages list it and the N-Quads with their
            # size, so that `planlod serve` has them at any size (the editor uses the endpoint; other pages it
            # renders on demand). Beside the store's compaction (~5 s at 1,000,000 evaluations).
            publish.write_void(ctx, StreamedSize(triples, {m.report.dataset_id: m.triples for m in mapped}))
            write_editor(renderer)
            write_queries_page(renderer, results=False)
            write_vocab_page(renderer)
            write_shapes_page(renderer)
            write_index(renderer)
            write_data_page(renderer)
            progress("on-disk store: compacting")
            if store.receive() != triples:
                raise RuntimeError(f"the store counted {triples} triples, then returned another count")
        swap_in(temp, out_dir)
        return reports, outcome, evaluations, len(ctx.files)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _write_editions(ctx: PublishContext, folder: Path) -> dict[str, list[Edition]]:
    """Each plan's changes CSV, from its editions' facts (written by the workers), a plan at a time; the
    editions without their changes (the CSV holds them), for the plan pages `planlod serve` renders. The facts'
    folder is removed."""
    from .editions import EditionFacts, plans_of, series_editions
    from .publish.editions import write_changes

    def facts(report: Report) -> EditionFacts:
        return EditionFacts.from_json((folder / f"{report.dataset_id}.json").read_text(encoding="utf-8"))

    found = {}
    for plan, series in plans_of(ctx.reports).items():
        editions = list(series_editions(series, lambda r: ctx.report_counts[r.dataset_id], facts))
        write_changes(ctx, editions)
        found[str(plan)] = [replace(e, changes=()) for e in editions]
    shutil.rmtree(folder, ignore_errors=True)
    return found


def _write_nquads_aside(blocks: list[tuple[str, str]], out: Path, loads_ended: Event) -> tuple[str, int, str]:
    """write_nquads in a process of its own once the store's loads end (`loads_ended`), at a lower priority
    than the store's compaction beside it (`nice`; the process ends with the build), which ends the build: the
    N-Quads fill the core it leaves. (Beside the loads, 1,000,000 evaluations
    took 336.8 s, 321.8 s niced.) Where there is no nice (Windows), as it is."""
    if hasattr(os, "nice"):
        os.nice(10)
    loads_ended.wait()
    return write_nquads(blocks, out)


__all__ = ["LARGE_AT", "STORE_DIR", "build_large", "map_report", "report_triples"]
