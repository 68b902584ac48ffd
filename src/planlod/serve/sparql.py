"""The SPARQL engine behind /sparql: Oxigraph (Rust) in worker processes, bounded in time and size.

Why Oxigraph: it parses and evaluates SPARQL 1.1 one to two orders of magnitude faster than rdflib and
keeps large stores on disk; why worker processes: a running Oxigraph query cannot be interrupted from
Python, so a query past its time limit is stopped by ending its process, and a fresh one takes its place.
"""

from __future__ import annotations

import multiprocessing
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .conneg import negotiate

_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
# Strings, IRIs and comments, blanked out before looking for the SERVICE keyword.
_COMMENT_OR_STRING = re.compile(
    r"(\"\"\".*?\"\"\"|'''.*?'''|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|<[^>\s]*>|#[^\n]*)", re.S)


@dataclass(frozen=True)
class EndpointSettings:
    timeout: float = 10.0          # seconds a query may run
    max_rows: int = 10_000         # solutions or triples returned at most
    workers: int = 2


@dataclass(frozen=True)
class QueryAnswer:
    status: int
    media_type: str
    body: bytes
    truncated: bool = False


class QueryRefused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def check_query(text: str) -> None:
    """Refuse what the endpoint never runs: federated SERVICE calls (they would reach other hosts)."""
    if _SERVICE.search(_COMMENT_OR_STRING.sub(" ", text)):
        raise QueryRefused(400, "SERVICE (federated query) is not allowed on this endpoint")


def _take(items: Iterator[Any], limit: int) -> tuple[list[Any], bool]:
    """At most `limit` items, and whether there were more."""
    taken: list[Any] = []
    for item in items:
        if len(taken) == limit:
            return taken, True
        taken.append(item)
    return taken, False


def _worker(conn: Connection, dumps: list[str], max_rows: int) -> None:
    import pyoxigraph as ox

    from .results import GRAPH_TYPES, SELECT_TYPES, serialize_boolean, serialize_solutions

    store = ox.Store()
    for dump in dumps:
        store.bulk_load(path=dump, format=ox.RdfFormat.N_TRIPLES)
    while True:
        try:
            query, accept = conn.recv()
        except EOFError:
            return
        try:
            result = store.query(query)
        except SyntaxError as err:
            conn.send(("error", 400, f"malformed query: {err}"))
            continue
        except Exception as err:  # evaluation errors of any kind are the query's, not the server's
            conn.send(("error", 400, f"the query failed: {err}"))
            continue
        try:
            offers = list(GRAPH_TYPES) if isinstance(result, ox.QueryTriples) else SELECT_TYPES
            media = negotiate(accept, offers)
            if media is None:
                conn.send(("error", 406, "acceptable: " + ", ".join(offers)))
            elif isinstance(result, ox.QueryBoolean):
                conn.send(("ok", media, serialize_boolean(bool(result), media), False))
            elif isinstance(result, ox.QuerySolutions):
                names = [v.value for v in result.variables]
                rows, truncated = _take(([solution[n] for n in names] for solution in result), max_rows)
                conn.send(("ok", media, serialize_solutions(names, rows, media), truncated))
            else:
                triples, truncated = _take(iter(result), max_rows)
                conn.send(("ok", media, ox.serialize(triples, format=GRAPH_TYPES[media]) or b"", truncated))
        except Exception as err:  # a result that cannot be serialized is reported, never a crash
            conn.send(("error", 500, f"the result cannot be serialized: {err}"))


class QueryEngine:
    """A small pool of worker processes, each holding the store; one query at a time per worker."""

    def __init__(self, dumps: list[Path], settings: EndpointSettings) -> None:
        self.dumps = [str(p) for p in dumps]
        self.settings = settings
        self._context = multiprocessing.get_context("spawn")
        self._idle: list[tuple[Any, Connection]] = []
        self._lock = threading.Condition()
        for _ in range(max(1, settings.workers)):
            self._idle.append(self._spawn())

    def _spawn(self) -> tuple[Any, Connection]:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker, args=(child, self.dumps, self.settings.max_rows),
                                        daemon=True)
        process.start()
        child.close()
        return process, parent

    def run(self, query: str, accept: str | None) -> QueryAnswer:
        check_query(query)
        with self._lock:
            while not self._idle:
                self._lock.wait()
            process, conn = self._idle.pop()
        try:
            conn.send((query, accept))
            if not conn.poll(self.settings.timeout):
                process.kill()
                process.join()
                conn.close()
                process, conn = self._spawn()
                raise QueryRefused(503, f"the query ran longer than {self.settings.timeout:g} s and was stopped")
            message = conn.recv()
        except (EOFError, OSError):
            process.kill()
            process.join()
            process, conn = self._spawn()
            raise QueryRefused(500, "the query engine stopped unexpectedly; it has been restarted") from None
        finally:
            with self._lock:
                self._idle.append((process, conn))
                self._lock.notify()
        if message[0] == "error":
            raise QueryRefused(message[1], message[2])
        return QueryAnswer(200, message[1], message[2], message[3])

    def close(self) -> None:
        with self._lock:
            for process, conn in self._idle:
                conn.close()
                process.kill()
                process.join()
            self._idle.clear()
