"""Thin command line: each command is a docstring plus calls into the pipeline."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import pipeline
from .errors import PlanlodError
from .report import render_diagnostics, render_explain, render_tallies

EXIT_NOT_CONFORMING = 1
EXIT_CANNOT_RUN = 2


class PlanlodGroup(click.Group):
    """Turns PlanlodError into 'Error: … / Hint: …' and exit code 2, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PlanlodError as err:
            click.echo(f"Error: {err}", err=True)
            if err.hint:
                click.echo(f"Hint: {err.hint}", err=True)
            ctx.exit(EXIT_CANNOT_RUN)


def source_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--metadata", "metadata_path", type=click.Path(path_type=Path, dir_okay=False),
                        help="Metadata TOML (default: SOURCE with .meta.toml, if present).")(func)
    func = click.option("--corrections", "corrections_path", type=click.Path(path_type=Path, dir_okay=False),
                        help="Corrections CSV (default: SOURCE with .corrections.csv, if present).")(func)
    return click.argument("source", type=click.Path(path_type=Path, exists=True, dir_okay=False))(func)


@click.group(cls=PlanlodGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="planlod")
def main() -> None:
    """planlod: municipal plan progress tables as Linked Open Data.

    Exit codes: 0 OK, 1 the data does not agree (e.g. tallies differ), 2 could not run.
    """


@main.command()
@source_options
@click.option("-o", "--output", "out_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the records CSV here (default: standard output, unless --explain).")
@click.option("--explain", is_flag=True, help="Print every source line's class and what it became.")
def extract(source: Path, out_path: Path | None, explain: bool, corrections_path: Path | None,
            metadata_path: Path | None) -> None:
    """Read SOURCE (a progress table's text, or a records CSV) and write one CSV row per evaluation row."""
    table, text = pipeline.extract_records(source, out_path, corrections_path=corrections_path,
                                           metadata_path=metadata_path)
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
    """Compute the tallies from the rows of SOURCE and compare them with its declared summary."""
    table = pipeline.read_progress_table(source, corrections_path=corrections_path, metadata_path=metadata_path)
    comparison = pipeline.check_progress_table(table)
    click.echo(render_diagnostics(table), err=True, nl=False)
    click.echo(render_tallies(table, comparison), nl=False)
    if not comparison.matches:
        sys.exit(EXIT_NOT_CONFORMING)
