"""The SPARQL engine behind /sparql: Oxigraph (Rust) in worker processes, bounded in every dimension.

Why Oxigraph: it parses and evaluates SPARQL 1.1 one to two orders of magnitude faster than rdflib and
keeps large stores on disk; why worker processes: a running Oxigraph query cannot be interrupted from
Python, so a query past its time limit is stopped by ending its process, and a fresh one takes its place.

Bounds: time (counted from the request's arrival, queueing included), requests waiting for a worker,
memory per worker (an address-space cap), solutions and bytes per answer. Each worker is cut off from
the network before it reads a query (see sandbox.py), and each query is checked on its parsed form
(see querycheck.py) inside the worker, under the same time limit.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..errors import PlanlodError
from .conneg import negotiate

MB = 1_000_000


@dataclass(frozen=True)
class EndpointSettings:
    timeout: float = 10.0              # seconds from arrival to answer, queueing included
    max_rows: int = 10_000             # solutions or triples returned at most
    max_bytes: int = 10 * MB           # bytes of one answer at most
    max_memory: int = 512 * MB         # address space a worker may add to what it holds after loading
    workers: int = 2
    max_queue: int = 16                # requests waiting for a worker at most; more get 503 + Retry-After
    network_sandbox: bool = True       # refuse to start if the workers cannot be cut off from the network


@dataclass(frozen=True)
class QueryAnswer:
    status: int
    media_type: str
    body: bytes
    truncated: bool = False


class QueryRefused(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


def _term_size(term: Any) -> int:
    return 0 if term is None else len(str(term)) + 16


def _take(items: Iterator[Any], limit: int, max_bytes: int, size: Any) -> tuple[list[Any], bool]:
    """At most `limit` items whose estimated size stays under `max_bytes`, and whether some were left."""
    taken: list[Any] = []
    used = 0
    for item in items:
        used += size(item)
        if len(taken) == limit or used > max_bytes:
            return taken, True
        taken.append(item)
    return taken, False


def _fit(serialize: Any, items: list[Any], truncated: bool, max_bytes: int) -> tuple[bytes, bool]:
    """Serialize, dropping trailing items until the bytes fit (escaping can outgrow the estimate)."""
    body = serialize(items)
    while len(body) > max_bytes and items:
        items = items[: len(items) * max_bytes // len(body) if len(items) > 1 else 0]
        body, truncated = serialize(items), True
    return body, truncated


def _answer(store: Any, query: str, accept: str | None, max_rows: int, max_bytes: int) -> tuple[Any, ...]:
    import pyoxigraph as ox

    from .querycheck import UnsafeQuery, check_query
    from .results import GRAPH_TYPES, SELECT_TYPES, serialize_boolean, serialize_solutions

    try:
        check_query(query)
        result = store.query(query)
    except UnsafeQuery as refused:
        return ("error", 400, str(refused))
    except SyntaxError as err:
        return ("error", 400, f"malformed query: {err}")
    except MemoryError:
        raise
    except Exception as err:  # evaluation errors of any kind are the query's, not the server's
        return ("error", 400, f"the query failed: {err}")
    offers = list(GRAPH_TYPES) if isinstance(result, ox.QueryTriples) else SELECT_TYPES
    media = negotiate(accept, offers)
    if media is None:
        return ("error", 406, "acceptable: " + ", ".join(offers))
    if isinstance(result, ox.QueryBoolean):
        return ("ok", media, serialize_boolean(bool(result), media), False)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows, truncated = _take(([solution[n] for n in names] for solution in result), max_rows, max_bytes,
                                lambda row: sum(_term_size(t) for t in row))
        body, truncated = _fit(lambda rs: serialize_solutions(names, rs, media), rows, truncated, max_bytes)
        return ("ok", media, body, truncated)
    triples, truncated = _take(iter(result), max_rows, max_bytes, _term_size)
    body, truncated = _fit(lambda ts: ox.serialize(ts, format=GRAPH_TYPES[media]) or b"", triples, truncated,
                           max_bytes)
    return ("ok", media, body, truncated)


def _worker(conn: Connection, dumps: list[str], settings: EndpointSettings) -> None:
    from .sandbox import cap_memory, cut_network

    # Cut first, while this process has a single thread (unshare needs it) and before any data is read.
    network = cut_network() if settings.network_sandbox else None
    import pyoxigraph as ox

    on_disk = len(dumps) == 1 and Path(dumps[0]).is_dir()
    if on_disk:  # a large site's on-disk store: opened read-only, nothing copied into this worker's memory
        store = ox.Store.read_only(dumps[0])
    else:
        store = ox.Store()
        for dump in dumps:
            store.bulk_load(path=dump, format=ox.RdfFormat.N_TRIPLES)
    from .querycheck import check_query

    check_query("ASK {}")  # load the parser before the memory cap is measured
    if on_disk:  # and what renders pages on demand (rdflib, jinja2, the templates' code)
        from ..publish import resources  # noqa: F401
        from . import pages

        site = pages.read_site_info(Path(dumps[0]).parent)
    memory = cap_memory(settings.max_memory) if settings.max_memory else None
    conn.send(("ready", network, memory))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        try:
            if request[0] == "page":   # a large site's resource page, rendered from the store (pages.py)
                _, iri = request
                conn.send(("page", pages.render_page(store, iri, site) if on_disk and site else None))
                continue
            _, query, accept = request
            message: tuple[Any, ...] = _answer(store, query, accept, settings.max_rows, settings.max_bytes)
        except MemoryError:
            what = "the query" if request[0] == "query" else "the page"
            message = ("error", 503, f"{what} needed more than {settings.max_memory // MB} MB and was stopped")
        except Exception as err:  # a result that cannot be serialized is reported, never a crash
            message = ("error", 500, f"the result cannot be serialized: {err}" if request[0] == "query"
                       else f"the page could not be rendered: {type(err).__name__}: {err}")
        conn.send(message)


@dataclass
class _Worker:
    process: Any
    conn: Connection
    ready: bool = False


class QueryEngine:
    """A small pool of worker processes, each holding the store; one query at a time per worker.

    `dumps`: the N-Triples files each worker loads into memory, or one folder: an on-disk Oxigraph
    store (a large site's .store/) that each worker opens read-only."""

    def __init__(self, dumps: list[Path], settings: EndpointSettings) -> None:
        self.dumps = [str(p) for p in dumps]
        self.settings = settings
        self._context = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        self._waiting = 0
        self._lock = threading.Condition()
        workers = [self._spawn() for _ in range(max(1, settings.workers))]
        try:
            for worker in workers:
                self._await_ready(worker, time.monotonic() + 600)
        except BaseException:
            for worker in workers:
                self._end(worker)
            raise
        self._idle.extend(workers)

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker, args=(child, self.dumps, self.settings), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def _await_ready(self, worker: _Worker, deadline: float) -> None:
        """A new worker says whether it could be cut off from the network and capped in memory."""
        if worker.ready:
            return
        if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
            raise QueryRefused(503, "the query engine is still starting; try again shortly", {"Retry-After": "5"})
        try:
            _, network, memory = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(5)
            raise PlanlodError(f"a SPARQL worker stopped while loading the data (exit code {worker.process.exitcode})",
                               hint="check that the site's data/*.nt files are readable N-Triples") from None
        worker.ready = True
        if network is not None:
            raise PlanlodError(
                f"the SPARQL workers cannot be cut off from the network: {network}",
                hint="run where unprivileged user namespaces are allowed (Linux), or pass --no-network-sandbox "
                     "to rely on the parsed-query check alone (not for a public server)")
        if memory is not None and self.settings.max_memory:
            raise PlanlodError(f"the SPARQL workers' memory cannot be capped: {memory}",
                               hint="pass --max-memory 0 to run without a memory cap (not for a public server)")

    @staticmethod
    def _end(worker: _Worker) -> None:
        worker.conn.close()
        worker.process.kill()
        worker.process.join()

    def _checkout(self, deadline: float) -> _Worker:
        with self._lock:
            if not self._idle and self._waiting >= self.settings.max_queue:
                raise QueryRefused(503, "the server is busy: too many queries are waiting", {"Retry-After": "5"})
            self._waiting += 1
            try:
                while not self._idle:
                    left = deadline - time.monotonic()
                    if left <= 0 or not self._lock.wait(left) and not self._idle:
                        raise QueryRefused(
                            503, f"the server is busy: no query engine was free within {self.settings.timeout:g} s",
                            {"Retry-After": "5"})
                return self._idle.pop()
            finally:
                self._waiting -= 1

    def _checkin(self, worker: _Worker) -> None:
        with self._lock:
            self._idle.append(worker)
            self._lock.notify()

    def run(self, query: str, accept: str | None, arrived: float | None = None) -> QueryAnswer:
        message = self._exchange(("query", query, accept), arrived, "the query")
        return QueryAnswer(200, message[1], message[2], message[3])

    def page(self, iri: str, arrived: float | None = None) -> dict[str, bytes] | None:
        """A large site's resource page and its twins, rendered by a worker from the store (pages.py)."""
        files: dict[str, bytes] | None = self._exchange(("page", iri), arrived, "the page")[1]
        return files

    def _exchange(self, request: tuple[Any, ...], arrived: float | None, what: str) -> tuple[Any, ...]:
        """One request to a free worker, under the time limit counted from `arrived`; a worker past it or
        out of memory is ended and replaced."""
        deadline = (arrived if arrived is not None else time.monotonic()) + self.settings.timeout
        worker = self._checkout(deadline)
        try:
            self._await_ready(worker, deadline)
            worker.conn.send(request)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._end(worker)
                worker = self._spawn()
                raise QueryRefused(503, f"{what} took longer than {self.settings.timeout:g} s and was stopped")
            message: tuple[Any, ...] = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(5)
            aborted = worker.process.exitcode in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV)
            self._end(worker)
            worker = self._spawn()
            if aborted:
                raise QueryRefused(503, f"{what} needed more than {self.settings.max_memory // MB} MB of memory "
                                        "and was stopped") from None
            raise QueryRefused(500, "the query engine stopped unexpectedly; it has been restarted") from None
        finally:
            self._checkin(worker)
        if message[0] == "error":
            raise QueryRefused(message[1], message[2])
        return message

    def close(self) -> None:
        with self._lock:
            for worker in self._idle:
                self._end(worker)
            self._idle.clear()
