"""The site stage (write_site): the site folder, written beside its place and swapped in whole.

(Loading the data into an existing triple store, `planlod publish`, is store.load_into_store.)

Each output is a small unit in OUTPUTS, run in order (the catalog needs the dumps' sizes).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph
from rdflib.compare import to_canonical_graph

from ..bundled import CONTEXT_PATH, DCAT_AP_SHAPES, FIELDS_PATH, QUERIES_DIR, SHAPES_PATH, VOCAB_PATH
from ..catalog_info import CatalogInfo
from ..collection import Report
from ..formats import JSON_LD, TURTLE
from ..serialize import serialize_graph
from ..validate import Outcome, load_shapes, validate_graph
from ..vocab import bind_prefixes
from .catalog_files import write_catalog
from .compare import write_compare_page
from .conformance_report import check_new_pages, recheck_catalog, write_conformance
from .conneg import write_conneg
from .context import PublishContext
from .dumps import write_dumps, write_records, write_spreadsheet
from .editions import write_edition_changes
from .editor import write_editor
from .files import write_file
from .index import GraphIndex
from .pages import write_data_page, write_index, write_queries_page
from .reference import write_shapes_page, write_vocab_page
from .render import Renderer
from .report_page import write_report_page
from .resources import write_resource_pages
from .search import write_search
from .swap import new_build_folder, swap_in
from .validation_file import write_validation_report
from .void import StreamedSize, build_void

Output = Callable[[PublishContext], None]

__all__ = ["OUTPUTS", "validate_catalog", "write_catalog", "write_conneg", "write_site", "write_void"]




def validate_catalog(catalog: Graph) -> Outcome:
    """DCAT-AP 3.0.1: violations are refused; warnings (recommended properties, EU code lists) reported.
    planlod's compiled engine, which finds what pySHACL finds there (tests/test_shacl.py) ~8 times faster
    (1.0 s instead of 7.9 s for the catalog of 200 reports; pySHACL took ~60 s for 1,918)."""
    return validate_graph(catalog, load_shapes(*DCAT_AP_SHAPES))


def _catalog(ctx: PublishContext) -> None:
    write_catalog(ctx)


def write_void(ctx: PublishContext, streamed: StreamedSize | None = None) -> None:
    """void.ttl: from the collection's graph, or from a streamed collection's size (the large path)."""
    ctx.void = build_void(ctx, streamed)
    write_file(ctx, "void.ttl", serialize_graph(ctx.void, TURTLE))


def _void(ctx: PublishContext) -> None:
    write_void(ctx)


def described(ctx: PublishContext) -> Graph:
    """What the catalog, VoID, the validation report and the conformance report say: their resources
    (datasets, distributions, the service, partitions, results, assertions) get pages too."""
    graph = Graph()
    for part in (ctx.catalog, ctx.void, ctx.outcome.report, ctx.conformance_graph):
        if part is not None:
            graph += part
    return bind_prefixes(graph)


def _vocabulary(ctx: PublishContext) -> None:
    vocab = Graph().parse(VOCAB_PATH)
    write_file(ctx, "vocab/planlod.ttl", VOCAB_PATH.read_bytes())
    write_file(ctx, "vocab/planlod.jsonld", serialize_graph(vocab, JSON_LD))
    write_file(ctx, "vocab/context.jsonld", CONTEXT_PATH.read_bytes())
    write_file(ctx, "vocab/fields.ttl", FIELDS_PATH.read_bytes())
    write_file(ctx, "shapes/planlod-shapes.ttl", SHAPES_PATH.read_bytes())
    # The shapes use blank nodes (as SHACL does); canonical labels keep the JSON-LD bytes stable.
    shapes = to_canonical_graph(Graph().parse(SHAPES_PATH))
    write_file(ctx, "shapes/planlod-shapes.jsonld", serialize_graph(shapes, JSON_LD))


def _queries(ctx: PublishContext) -> None:
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        write_file(ctx, f"queries/{path.name}", path.read_bytes())


def _report(ctx: PublishContext) -> None:
    write_validation_report(ctx)


def write_assets(ctx: PublishContext) -> None:
    for name in ("style.css", "favicon.svg", "tables.js"):
        write_file(ctx, f"assets/{name}", (Path(__file__).parent / "static" / name).read_bytes())


def _pages(ctx: PublishContext) -> None:
    renderer = Renderer(ctx, GraphIndex.of(ctx.graph))
    write_assets(ctx)
    write_resource_pages(renderer)
    write_queries_page(renderer)
    write_editor(renderer)
    write_search(renderer)
    write_vocab_page(renderer)
    write_shapes_page(renderer)
    write_data_page(renderer)
    for report in ctx.reports:
        write_report_page(renderer, report)
    write_index(renderer)
    write_compare_page(renderer)


OUTPUTS: tuple[Output, ...] = (
    write_dumps,
    write_records,
    write_spreadsheet,
    _catalog,
    _void,
    _vocabulary,
    _queries,
    _report,
    write_edition_changes,
    write_conneg,
    _pages,
)


def write_site(
    reports: tuple[Report, ...],
    outcome: Outcome,
    catalog_info: CatalogInfo,
    out_dir: Path,
    *,
    base: str,
    site_url: str | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> PublishContext:
    """Write the whole site to a sibling of out_dir, then swap it in (a complete site exists throughout)."""
    out_dir = out_dir.resolve()
    temp = new_build_folder(out_dir)
    try:
        union = Graph()
        for report in reports:
            union += report.graph
        bind_prefixes(union)
        ctx = PublishContext(reports, union, outcome, catalog_info, base, site_url or base, temp)
        for output in OUTPUTS:
            progress(output.__name__.lstrip("_").replace("_", " "))
            output(ctx)
        progress("conformance")
        write_conformance(ctx, Renderer(ctx, GraphIndex.of(Graph())))
        _catalog(ctx)
        write_index(Renderer(ctx, GraphIndex.of(ctx.graph)))   # it embeds the catalog
        recheck_catalog(ctx)
        progress("pages of the catalog's and the reports' resources")
        # The data is in the index too, for labels: a validation result is named by its focus node.
        check_new_pages(ctx, write_resource_pages(Renderer(ctx, GraphIndex.of(described(ctx) + ctx.graph)),
                                                  new_only=True))
        swap_in(temp, out_dir)
        ctx.out = out_dir
        return ctx
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
