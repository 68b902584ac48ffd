"""Bulk loading a large collection into Virtuoso with its own loader (`ld_dir` + `rdf_loader_run`).

For collections past what HTTP uploads handle well (`planlod publish --bulk-dir`): the site's N-Quads
(data/all.nq: each report in the named graph of its dataset IRI) are split into files of a chosen size in a
folder the Virtuoso server can read (one of its DirsAllowed), then one isql session clears each report's
graph, registers the files, runs the loader, checkpoints, and reports the loader's errors and each graph's
triple count, which must equal the report's N-Triples dump.

isql takes the password on its command line (as Virtuoso's own tools do): use an account for loading only,
on a machine whose process list is not shared. The password comes from PLANLOD_STORE_PASSWORD.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import PlanlodError
from .store import Published, report_datasets

PREFIX = "planlod-"
COUNT_MARK = "PLANLOD-COUNT"
ERROR_MARK = "PLANLOD-ERROR"
_SAFE_PATH = re.compile(r"^/[\w./+-]*$")
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`']+$")


@dataclass(frozen=True, slots=True)
class BulkSettings:
    isql: str                        # host:port of Virtuoso's SQL server
    folder: Path                     # where the N-Quads files go; Virtuoso must read it at the same path
    chunk_bytes: int = 100_000_000   # each file at most this size (whole lines)
    timeout: float = 3600.0          # seconds for the whole isql session
    binary: str = "isql-vt"          # Debian's name; `isql` elsewhere


def split_quads(source: Path, folder: Path, chunk_bytes: int) -> list[Path]:
    """`source` cut into planlod-00001.nq, planlod-00002.nq … of at most `chunk_bytes` (whole lines);
    earlier planlod-*.nq files in the folder are removed first."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(f"{PREFIX}*.nq"):
        stale.unlink()
    files: list[Path] = []
    out = None
    size = 0
    try:
        with source.open("rb") as lines:
            for line in lines:
                if out is None or (size and size + len(line) > chunk_bytes):
                    if out is not None:
                        out.close()
                    files.append(folder / f"{PREFIX}{len(files) + 1:05d}.nq")
                    out, size = files[-1].open("wb"), 0
                out.write(line)
                size += len(line)
    finally:
        if out is not None:
            out.close()
    return files


def loader_script(folder: Path, graphs: list[str]) -> str:
    """The isql session: clear the reports' graphs, load the files, checkpoint, report errors and counts."""
    where = f"'{folder}/{PREFIX}%'"
    lines = [f"SPARQL CLEAR GRAPH <{g}>;" for g in graphs]
    lines += [
        f"DELETE FROM DB.DBA.load_list WHERE ll_file LIKE {where};",
        f"ld_dir('{folder}', '{PREFIX}*.nq', 'urn:planlod:no-graph');",
        "rdf_loader_run();",
        "checkpoint;",
        f"SELECT '{ERROR_MARK}', ll_file, ll_error FROM DB.DBA.load_list WHERE ll_file LIKE {where} "
        "AND ll_error IS NOT NULL;",
    ]
    lines += [f'SPARQL SELECT (CONCAT("{COUNT_MARK} ", STR(COUNT(*))) AS ?n) FROM <{g}> WHERE {{ ?s ?p ?o }};'
              for g in graphs]
    return "\n".join(lines) + "\n"


def bulk_load(site: Path, settings: BulkSettings) -> list[Published]:
    """Load the site's N-Quads with Virtuoso's bulk loader; each report's graph is replaced and checked."""
    datasets = report_datasets(site)
    source = site / "data" / "all.nq"
    if not source.is_file():
        raise PlanlodError("the site has no data/all.nq", where=str(site), hint="run `planlod build` first")
    folder = settings.folder.resolve()
    if not _SAFE_PATH.match(str(folder)):
        raise PlanlodError(f"the folder '{folder}' has characters isql would need quoted",
                           hint="use a folder path of letters, digits, '.', '_', '-', '+' and '/'")
    for graph, _dump in datasets:
        if not _IRI.match(graph):
            raise PlanlodError(f"the graph IRI <{graph}> cannot be written into an isql command", where=str(site))
    binary = shutil.which(settings.binary)
    if binary is None:
        raise PlanlodError(f"'{settings.binary}' is not installed", hint="install Virtuoso's isql "
                           "(Debian: virtuoso-opensource), or name it with --isql-binary")
    split_quads(source, folder, settings.chunk_bytes)
    user = os.environ.get("PLANLOD_STORE_USER", "dba")
    password = os.environ.get("PLANLOD_STORE_PASSWORD")
    if not password:
        raise PlanlodError("PLANLOD_STORE_PASSWORD is not set", hint="isql needs the password of the loading account")
    script = loader_script(folder, [g for g, _ in datasets])
    try:
        done = subprocess.run([binary, settings.isql, user, password, "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF",
                               "ECHO=OFF", "ERRORS=STDOUT"], input=script, capture_output=True, text=True,
                              timeout=settings.timeout, check=False)
    except subprocess.TimeoutExpired:
        raise PlanlodError(f"the bulk load did not finish within {settings.timeout:g} s", where=settings.isql,
                           hint="raise --timeout for a large collection") from None
    output = (done.stdout + done.stderr).replace(password, "***")
    problems = [line for line in output.splitlines() if "*** Error" in line or ERROR_MARK in line]
    if done.returncode != 0 or problems:
        raise PlanlodError("Virtuoso's bulk loader reported: " + ("; ".join(problems[:5]) or output[-500:]),
                           where=settings.isql, hint="the folder must be in the server's DirsAllowed and be "
                           "the same path on the server; the account needs to run ld_dir and rdf_loader_run")
    counts = [int(n) for n in re.findall(rf"{COUNT_MARK} (\d+)", output)]
    if len(counts) != len(datasets):
        raise PlanlodError(f"isql answered {len(counts)} triple counts for {len(datasets)} graphs",
                           where=settings.isql)
    published = []
    for (graph, dump), stored in zip(datasets, counts, strict=True):
        with dump.open("rb") as handle:
            sent = sum(1 for line in handle if line.strip())
        if stored != sent:
            raise PlanlodError(f"the store holds {stored} triples in <{graph}>, {sent} were sent",
                               where=settings.isql)
        published.append(Published(graph, 200, sent, stored))
    return published
