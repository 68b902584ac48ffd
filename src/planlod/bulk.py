"""Bulk loading a large collection into Virtuoso with its own loader (`ld_dir` + `rdf_loader_run`).

For collections past what HTTP uploads handle well (`planlod publish --bulk-dir`): the site's N-Quads
(data/all.nq: each report in the named graph of its dataset IRI) are split into files of a chosen size in a
folder the Virtuoso server can read (one of its DirsAllowed), each report's quads put in a staging graph of its
own. One isql session loads them (ld_dir, rdf_loader_run) and reports the loader's errors and each staging
graph's triple count, which must equal the report's N-Triples dump. Only then does a second session replace
each report's graph by its staging graph (a rename of the graph column, Virtuoso's documented fast way) and
checkpoint: a load that fails, stops or loads too little leaves the published graphs as they were (its
staging graphs are dropped).

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


def staging_graph(n: int) -> str:
    return f"urn:planlod:staging:{n:05d}"


def split_quads(source: Path, folder: Path, chunk_bytes: int, graphs: dict[str, str] | None = None) -> list[Path]:
    """`source` cut into planlod-00001.nq, planlod-00002.nq … of at most `chunk_bytes` (whole lines), each
    quad's graph renamed by `graphs` (every graph must be in it) when given; earlier planlod-*.nq files in
    the folder are removed first."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(f"{PREFIX}*.nq"):
        stale.unlink()
    renamed = {f"<{g}> .\n".encode(): f"<{s}> .\n".encode() for g, s in (graphs or {}).items()}
    files: list[Path] = []
    out = None
    size = 0
    try:
        with source.open("rb") as lines:
            for number, line in enumerate(lines, 1):
                if renamed:
                    # An N-Quads line ends with its graph: ' <g> .' (no literal or IRI holds ' <' and '> .\n').
                    head, _, graph = line.rpartition(b" ")[0].rpartition(b" ")
                    tail = graph + b" .\n"
                    if tail not in renamed:
                        raise PlanlodError(f"a quad in a graph that is not a report's: {graph.decode()[:200]}",
                                           where=f"{source}:{number}", hint="build the site again")
                    line = head + b" " + renamed[tail]
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


def _counts(graphs: list[str]) -> list[str]:
    return [f'SPARQL SELECT (CONCAT("{COUNT_MARK} ", STR(COUNT(*))) AS ?n) FROM <{g}> WHERE {{ ?s ?p ?o }};'
            for g in graphs]


def loader_script(folder: Path, staging: list[str]) -> str:
    """The first isql session: empty the staging graphs, load the files into them, report errors and counts."""
    where = f"'{folder}/{PREFIX}%'"
    lines = [f"SPARQL CLEAR GRAPH <{g}>;" for g in staging]
    lines += [
        f"DELETE FROM DB.DBA.load_list WHERE ll_file LIKE {where};",
        f"ld_dir('{folder}', '{PREFIX}*.nq', 'urn:planlod:no-graph');",
        "rdf_loader_run();",
        f"SELECT '{ERROR_MARK}', ll_file, ll_error FROM DB.DBA.load_list WHERE ll_file LIKE {where} "
        "AND ll_error IS NOT NULL;",
    ]
    return "\n".join(lines + _counts(staging)) + "\n"


def swap_script(pairs: list[tuple[str, str]]) -> str:
    """The second isql session: each report's graph replaced by its staging graph, checkpoint, counts."""
    lines = []
    for graph, staging in pairs:
        lines += [f"SPARQL CLEAR GRAPH <{graph}>;",
                  f"UPDATE DB.DBA.RDF_QUAD TABLE OPTION (index RDF_QUAD_GS) SET G = iri_to_id('{graph}') "
                  f"WHERE G = iri_to_id('{staging}', 0);"]
    lines.append("checkpoint;")
    return "\n".join(lines + _counts([g for g, _ in pairs])) + "\n"


def drop_script(staging: list[str]) -> str:
    return "\n".join([f"SPARQL CLEAR GRAPH <{g}>;" for g in staging] + ["checkpoint;"]) + "\n"


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
    staging = {graph: staging_graph(n) for n, (graph, _) in enumerate(datasets, 1)}
    split_quads(source, folder, settings.chunk_bytes, staging)
    user = os.environ.get("PLANLOD_STORE_USER", "dba")
    password = os.environ.get("PLANLOD_STORE_PASSWORD")
    if not password:
        raise PlanlodError("PLANLOD_STORE_PASSWORD is not set", hint="isql needs the password of the loading account")
    session = _Session(binary, settings, user, password)
    sent = []
    for _graph, dump in datasets:
        with dump.open("rb") as handle:
            sent.append(sum(1 for line in handle if line.strip()))
    try:
        loaded = session.counts(loader_script(folder, list(staging.values())), len(datasets))
        for (graph, _), stored, expected in zip(datasets, loaded, sent, strict=True):
            if stored != expected:
                raise PlanlodError(f"the loader put {stored} triples in the staging graph of <{graph}>, {expected} "
                                   "were sent", where=settings.isql)
    except PlanlodError as err:
        session.run(drop_script(list(staging.values())))
        raise PlanlodError(err.message + "; the published graphs are unchanged", where=err.where,
                           hint=err.hint) from None
    try:
        counts = session.counts(swap_script(list(staging.items())), len(datasets))
    except PlanlodError as err:
        raise PlanlodError(err.message + "; the swap stopped part way: some report graphs may be replaced, the "
                           "others are as they were", where=err.where, hint="run the same load again") from None
    published = []
    for (graph, _), stored, expected in zip(datasets, counts, sent, strict=True):
        if stored != expected:
            raise PlanlodError(f"the store holds {stored} triples in <{graph}>, {expected} were sent",
                               where=settings.isql)
        published.append(Published(graph, 200, expected, stored))
    return published


class _Session:
    """isql runs, the password kept out of what is reported."""

    def __init__(self, binary: str, settings: BulkSettings, user: str, password: str) -> None:
        self.command = [binary, settings.isql, user, password, "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF",
                        "ECHO=OFF", "ERRORS=STDOUT"]
        self.settings, self.password = settings, password

    def run(self, script: str) -> str:
        try:
            done = subprocess.run(self.command, input=script, capture_output=True, text=True,
                                  timeout=self.settings.timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PlanlodError(f"the bulk load did not finish within {self.settings.timeout:g} s",
                               where=self.settings.isql, hint="raise --timeout for a large collection") from None
        output = (done.stdout + done.stderr).replace(self.password, "***")
        problems = [line for line in output.splitlines() if "*** Error" in line or ERROR_MARK in line]
        if done.returncode != 0 or problems:
            unreadable = any(ERROR_MARK in line for line in problems)
            raise PlanlodError("Virtuoso's bulk loader reported: " + ("; ".join(problems[:5]) or output[-500:]),
                               where=self.settings.isql, hint="the file named could not be loaded at the line "
                               "given: build the site again" if unreadable else "the folder must be in the server's "
                               "DirsAllowed and be the same path on the server; the account needs to run ld_dir and "
                               "rdf_loader_run")
        return output

    def counts(self, script: str, expected: int) -> list[int]:
        counts = [int(n) for n in re.findall(rf"{COUNT_MARK} (\d+)", self.run(script))]
        if len(counts) != expected:
            raise PlanlodError(f"isql answered {len(counts)} triple counts for {expected} graphs",
                               where=self.settings.isql)
        return counts
