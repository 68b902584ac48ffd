"""Thin command line: each command is a docstring plus calls into the pipeline."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import native, pipeline
from .bundled import BUNDLED_SOURCE
from .collection import find_sources, split_by_year
from .errors import PlanlodError
from .graph import DEFAULT_BASE
from .report import render_diagnostics, render_explain, render_tallies
from .validate import stable_report

EXIT_NOT_CONFORMING = 1
EXIT_CANNOT_RUN = 2
EXIT_INTERNAL_ERROR = 3


class PlanlodGroup(click.Group):
    """Turns PlanlodError into 'Error: … / Hint: …' and exit code 2, in one place.

    Anything else that escapes is a bug in planlod, never a verdict on the data: it is reported as an
    internal error with exit code 3 (PLANLOD_DEBUG=1 shows the traceback).
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PlanlodError as err:
            click.echo(f"Error: {err}", err=True)
            if err.hint:
                click.echo(f"Hint: {err.hint}", err=True)
            ctx.exit(EXIT_CANNOT_RUN)
        except OSError as err:  # the file system refused (permissions, a full disk, a missing folder)
            where = f"{err.filename}: " if err.filename else ""
            click.echo(f"Error: {where}{err.strerror or err}", err=True)
            ctx.exit(EXIT_CANNOT_RUN)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:   # click would say "Aborted!" with exit 1, which here means the data disagrees
            click.echo("Error: interrupted (Ctrl-C)", err=True)
            click.echo("Hint: what was being written is not published (outputs are written beside and swapped in)",
                       err=True)
            ctx.exit(EXIT_CANNOT_RUN)
        except Exception as err:
            if os.environ.get("PLANLOD_DEBUG"):
                raise
            click.echo(f"Internal error: {type(err).__name__}: {str(err)[:500]}", err=True)
            click.echo("This is a bug in planlod, not a fault of your data. Please report it with the command "
                       "you ran and its input (PLANLOD_DEBUG=1 shows the traceback).", err=True)
            ctx.exit(EXIT_INTERNAL_ERROR)


def source_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option(
        "--metadata",
        "metadata_path",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Metadata TOML (default: SOURCE with .meta.toml, if present).",
    )(func)
    func = click.option(
        "--corrections",
        "corrections_path",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Corrections CSV (default: SOURCE with .corrections.csv, if present).",
    )(func)
    return click.argument(
        "source", required=False, default=None, type=click.Path(path_type=Path, exists=True, dir_okay=False)
    )(func)


def site_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--site", "site_dir", type=click.Path(path_type=Path, file_okay=False),
                        default=Path("site"), show_default=True, help=help_text)


@click.group(cls=PlanlodGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="planlod", message=f"%(prog)s %(version)s, {native.state()}")
def main() -> None:
    """planlod: municipal plan progress tables as Linked Open Data.

    Exit codes: 0 OK, 1 the data does not agree (e.g. tallies differ), 2 could not run, 3 internal error (a bug).
    """


@main.command()
@source_options
@click.option(
    "-o",
    "--output",
    "out_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the records CSV here (default: standard output, unless --explain).",
)
@click.option("--explain", is_flag=True, help="Print every source line's class and what it became.")
def extract(
    source: Path, out_path: Path | None, explain: bool, corrections_path: Path | None, metadata_path: Path | None
) -> None:
    """Read SOURCE (a progress table's text, or a records CSV) and write one CSV row per evaluation row.

    SOURCE defaults to the bundled Nishi Ward FY2020 report.
    """
    table, text = pipeline.extract_records(
        source or BUNDLED_SOURCE, out_path, corrections_path=corrections_path, metadata_path=metadata_path
    )
    click.echo(render_diagnostics(table), err=True, nl=False)
    if explain:
        click.echo(render_explain(table), nl=False)
    elif out_path is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"Wrote {len(table.activities)} rows to {out_path}", err=True)


@main.command()
@source_options
def check(source: Path, corrections_path: Path | None, metadata_path: Path | None) -> None:
    """Compute the tallies from the rows of SOURCE and compare them with its declared summary.

    A records CSV holding several fiscal years is checked report by report (one per year).
    """
    table = pipeline.read_progress_table(
        source or BUNDLED_SOURCE, corrections_path=corrections_path, metadata_path=metadata_path
    )
    agree = True
    for n, report in enumerate(split_by_year(table)):
        comparison = pipeline.check_progress_table(report)
        click.echo(render_diagnostics(report), err=True, nl=False)
        click.echo(("\n" if n else "") + render_tallies(report, comparison), nl=False)
        agree = agree and comparison.matches
    if not agree:
        sys.exit(EXIT_NOT_CONFORMING)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("build/validation-report.ttl"),
    show_default=True,
    help="Where to write the SHACL validation report graph (Turtle).",
)
@click.option("--base-iri", default=DEFAULT_BASE, show_default=True, help="Base of the IRIs minted for tables.")
@click.option("--engine", type=click.Choice(["planlod", "pyshacl"]), default="planlod", show_default=True,
              help="SHACL engine: planlod's compiled one (fast; the same findings) or pySHACL (the reference).")
def validate(files: tuple[Path, ...], report_path: Path, base_iri: str, engine: str) -> None:
    """Validate FILES (RDF: .ttl .jsonld .nt; or progress tables: .txt .csv) with planlod's SHACL shapes and
    the standards' own rules (Data Cube integrity constraints, SKOS integrity, the vocabulary's terms).

    Without FILES, the bundled data is mapped to RDF and validated. Exit 0 conforms, 1 violations, 2 cannot run.
    """
    from .conformance import Conformance, check_graph
    from .conformance.files import check_jsonld_file

    data, outcome = pipeline.validate_files(list(files), base_iri, engine)
    report = stable_report(outcome.report, "urn:planlod:validation:")
    pipeline.write_text_atomically(report_path, report.serialize(format="turtle"))
    click.echo(outcome.text(), nl=False)
    # JSON-LD inputs are also expanded by a conformant processor, as the build does with its files.
    expanded = [check_jsonld_file(f.parent, f) for f in files if f.suffix.lower() == ".jsonld"]
    conformance = Conformance((*check_graph(data).results, *expanded))
    click.echo(f"Conformance: {conformance.text()}", nl=False)
    click.echo(f"Report graph written to {report_path}", err=True)
    if not outcome.conforms or not conformance.conforms:
        sys.exit(EXIT_NOT_CONFORMING)


def _progress() -> Callable[[str], None]:
    """Progress lines on an interactive terminal; nothing in CI or when redirected."""
    if os.environ.get("CI") or not sys.stderr.isatty():
        return lambda _: None
    from .progress import TerminalProgress

    return TerminalProgress(sys.stderr)


@main.command()
@click.option(
    "--source",
    "sources",
    multiple=True,
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="A progress table (.txt) or records CSV, with its .meta.toml; repeat for several "
         "(default: every source under the bundled data/).",
)
@click.option(
    "--catalog",
    "catalog_path",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Who publishes the collection's catalog (TOML; default: data/catalog.toml for the bundled data, "
         "else the reports' one publisher).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("site"),
    show_default=True,
    help="The site folder, replaced whole on success.",
)
@click.option("--base-iri", default=DEFAULT_BASE, show_default=True, help="Base of the IRIs minted for the data.")
@click.option("--site-url", default=None, help="Where the site will be served (download URLs); default: the base IRI.")
@click.option("--source-dir", "source_dirs", multiple=True,
              type=click.Path(path_type=Path, exists=True, file_okay=False),
              help="Every source under this folder (a .txt or .csv beside a .meta.toml); repeatable.")
@click.option("--large/--small", default=None,
              help="Stream the reports (no per-resource pages, an on-disk store; see the README) or build every page; "
                   "default: large above 20,000 evaluations.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes that map and validate reports on the large path (default: up to 2, one per core).")
def build(sources: tuple[Path, ...], catalog_path: Path | None, out_dir: Path, base_iri: str,
          site_url: str | None, source_dirs: tuple[Path, ...], large: bool | None, workers: int | None) -> None:
    """Build the site of a collection of reports: dumps, DCAT catalog, VoID, pages, SPARQL examples.

    Each report (municipality × plan × fiscal year) is validated on its own; if any does not conform to the
    shapes, nothing is published (exit 1).
    """
    from .processes import terminated_as_error

    found = [*sources, *(s for folder in source_dirs for s in find_sources(folder))]
    with terminated_as_error():
        result = pipeline.build_site(found or None, out_dir, base=base_iri, site_url=site_url,
                                     catalog_path=catalog_path, large=large, workers=workers, progress=_progress())
    if not result.published:
        click.echo(result.outcome.text(), nl=False)
        for subject, conformance in result.conformance:
            if not conformance.conforms:
                click.echo(f"Conformance of {subject}: {conformance.text()}", nl=False)
        click.echo(f"Not published: the data does not conform; {out_dir} is unchanged.", err=True)
        sys.exit(EXIT_NOT_CONFORMING)
    click.echo(f"Built {out_dir}: {result.files} files from {len(result.reports)} report(s), "
               f"{result.evaluations} evaluation rows.", err=True)


@main.command()
@click.option("--code", prompt="全国地方公共団体コード (6 digits)",
              help="The publisher's municipality code, e.g. 151076.")
@click.option("--plan-id", prompt="Plan id (ASCII, e.g. vision-3)", help="ASCII key of the plan; it stands in IRIs.")
@click.option("--year", prompt="Fiscal year (Gregorian start year)", type=int, help="The report's fiscal year.")
@click.option("--office-name", prompt="Publisher (Japanese)", help="The publishing office, in Japanese.")
@click.option("--office-name-en", prompt="Publisher (English)", help="The publishing office, in English.")
@click.option("--plan-title", prompt="Plan title (Japanese)", help="The plan's title, in Japanese.")
@click.option("--plan-title-en", prompt="Plan title (English)", help="The plan's title, in English.")
@click.option("--levels", prompt="Evaluation levels, best first, comma-separated (e.g. A,B,C,D)",
              help="The scale's printed words or digits, best first, comma-separated.")
@click.option("--met", prompt="Levels that count as met, comma-separated (e.g. A,B)",
              help="The levels that count as met on the shared pivot, comma-separated.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("."),
              show_default=True, help="Folder to write the two files in.")
def init(code: str, plan_id: str, year: int, office_name: str, office_name_en: str, plan_title: str,
         plan_title_en: str, levels: str, met: str, out_dir: Path) -> None:
    """Write a commented metadata file and an empty records CSV for a new report.

    Asks for what is not given as an option. Once the CSV's rows are filled in (docs/records-csv.md),
    `planlod build --source <the CSV>` builds it as it is.
    """
    from .init import NewReport, write_new_report

    def words(text: str) -> tuple[str, ...]:
        return tuple(w.strip() for w in text.split(",") if w.strip())

    written = write_new_report(NewReport(code.strip(), plan_id.strip(), year, office_name, office_name_en,
                                         plan_title, plan_title_en, words(levels), words(met)), out_dir)
    for path in written:
        click.echo(f"Wrote {path}", err=True)


@main.command()
@click.argument("query_file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@site_option("The built site whose data is queried.")
def query(query_file: Path, fmt: str, site_dir: Path) -> None:
    """Run the SPARQL query in QUERY_FILE on the built data and print its results."""
    from .queries import format_result, read_query, run_query, site_store

    names, rows = run_query(site_store(site_dir), read_query(query_file))
    click.echo(format_result(names, rows, fmt), nl=False)


@main.command()
@site_option("The built site to serve.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1, 600),
              help="Seconds from a query's arrival to its answer, time waiting for a worker included.")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(1, 10_000_000),
              help="Solutions or triples a SPARQL answer holds at most.")
@click.option("--max-bytes", default=10_000_000, show_default=True, type=click.IntRange(1_000, 2_000_000_000),
              help="Bytes a SPARQL answer holds at most (more is cut at a whole solution, and said so).")
@click.option("--max-memory", default=512, show_default=True, type=click.IntRange(0, 1_000_000),
              help="MB of memory a query worker may use beyond its data; 0: no cap.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Query worker processes.")
@click.option("--max-queue", default=16, show_default=True, type=click.IntRange(0, 10_000),
              help="Queries waiting for a worker at most; more are answered 503 with Retry-After.")
@click.option("--max-connections", default=64, show_default=True, type=click.IntRange(1, 10_000),
              help="Open connections at most; more are answered 503 and closed.")
@click.option("--request-timeout", default=10.0, show_default=True, type=click.FloatRange(0.1, 600),
              help="Seconds a client has to send a whole request (or to keep an idle connection).")
@click.option("--no-network-sandbox", is_flag=True,
              help="Run even where query workers cannot be cut off from the network (not for a public server).")
def serve(site_dir: Path, host: str, port: int, timeout: float, max_rows: int, max_bytes: int, max_memory: int,
          workers: int, max_queue: int, max_connections: int, request_timeout: float,
          no_network_sandbox: bool) -> None:
    """Serve the built site with content negotiation and a read-only SPARQL endpoint at /sparql."""
    from .serve import EndpointSettings, ServerSettings, create_server

    endpoint = EndpointSettings(timeout=timeout, max_rows=max_rows, max_bytes=max_bytes,
                                max_memory=max_memory * 1_000_000, workers=workers, max_queue=max_queue,
                                network_sandbox=not no_network_sandbox)
    settings = ServerSettings(site_dir, endpoint, socket_timeout=request_timeout, max_connections=max_connections)
    server = create_server(settings, host, port)
    click.echo(f"Serving {site_dir} on http://{host}:{server.server_address[1]}/ (SPARQL at /sparql); "
               "Ctrl-C stops.", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@main.command()
@click.option("--endpoint", default=None, help="The store's Graph Store HTTP Protocol URL.")
@click.option("--graph", "graph_iri", default=None,
              help="Named graph to replace, for a site of one report (default: each report's dataset IRI).")
@click.option("--query-endpoint", default=None, help="The store's SPARQL query URL, to check the triple count.")
@click.option("--connect-timeout", default=10.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconds to open a connection to the store.")
@click.option("--read-timeout", default=60.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconds the store may stay silent.")
@click.option("--timeout", "total_timeout", default=600.0, show_default=True, type=click.FloatRange(0.1, 86400),
              help="Seconds for each whole request, however slowly the store answers.")
@click.option("--bulk-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Bulk path for large collections (Virtuoso): write the N-Quads here, split, for the server's "
                   "loader (ld_dir + rdf_loader_run). The server must read it at the same path (DirsAllowed).")
@click.option("--isql", default=None, help="With --bulk-dir: Virtuoso's SQL port, host:port (e.g. 127.0.0.1:1111).")
@click.option("--chunk-mb", default=100, show_default=True, type=click.IntRange(1, 100_000),
              help="With --bulk-dir: the size of each N-Quads file.")
@click.option("--isql-binary", default="isql-vt", show_default=True, help="With --bulk-dir: Virtuoso's isql.")
@site_option("The built site whose data is loaded.")
def publish(endpoint: str | None, graph_iri: str | None, query_endpoint: str | None, connect_timeout: float,
            read_timeout: float, total_timeout: float, bulk_dir: Path | None, isql: str | None, chunk_mb: int,
            isql_binary: str, site_dir: Path) -> None:
    """Load the built data into an existing SPARQL 1.1 store, each report replacing its own named graph.

    Over HTTP (--endpoint, Graph Store Protocol), or for large collections with Virtuoso's own bulk loader
    (--bulk-dir and --isql). Credentials come from PLANLOD_STORE_USER / PLANLOD_STORE_PASSWORD
    (PLANLOD_STORE_AUTH: digest or basic); they are never printed. Redirects are not followed.
    """
    from .store import StoreTimeouts, load_into_store

    if bulk_dir is not None or isql is not None:
        if bulk_dir is None or isql is None or endpoint is not None:
            raise PlanlodError("the bulk path takes --bulk-dir and --isql together, without --endpoint",
                               hint="planlod publish --bulk-dir /srv/load --isql 127.0.0.1:1111")
        from .bulk import BulkSettings, bulk_load

        settings = BulkSettings(isql, bulk_dir, chunk_mb * 1_000_000, total_timeout, isql_binary)
        for result in bulk_load(site_dir, settings):
            click.echo(f"Loaded {result.triples_sent} triples into graph <{result.graph_iri}> with Virtuoso's bulk "
                       f"loader; the store holds {result.triples_in_store}.", err=True)
        return
    if endpoint is None:
        raise PlanlodError("say where to load: --endpoint URL (HTTP), or --bulk-dir and --isql (Virtuoso)",
                           hint="planlod publish --endpoint http://localhost:8890/sparql-graph-crud-auth")
    timeouts = StoreTimeouts(connect_timeout, read_timeout, total_timeout)
    for result in load_into_store(site_dir, endpoint, graph_iri, query_endpoint, timeouts):
        checked = f"; the store holds {result.triples_in_store}" if result.triples_in_store is not None else ""
        click.echo(f"Loaded {result.triples_sent} triples into <{result.graph_iri}> ({result.status}){checked}.",
                   err=True)
