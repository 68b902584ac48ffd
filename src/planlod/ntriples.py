"""One report's N-Triples in bounded memory: written sorted in runs merged from disk, loaded into Oxigraph in slices.

A report of a few thousand rows is sorted in memory, as before. A huge one (100,000 rows, ~4M triples) would
need ~2.5 GB for its text alone (the set of lines, the sorted list, the joined text and its bytes), so its
lines are sorted in runs of RUN_LINES, each run written to a file beside the dump, and the runs merged (the
same bytes: UTF-8 sorts as code points do). Oxigraph's bulk loader holds ~10 times what it is given (a 4M-triple
file took ~1.7 GB), so a large file is given to it in slices of whole lines.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from rdflib import Literal, URIRef
from rdflib.plugins.serializers.nt import _quoteLiteral
from rdflib.term import Node

from .errors import PlanlodError

RUN_LINES = 100_000           # lines sorted in memory at once (~18 MB of text, ~60 MB while sorted)
MAX_OPEN_RUNS = 200           # run files merged at once (a process may open ~1,000 files)
SLICE_BYTES = 8 * 2**20       # bytes of N-Triples given to Oxigraph's bulk loader at once (~10x that in memory)
IN_MEMORY_BYTES = 32 * 2**20  # N-Triples above this (~4,500 rows) are validated in an on-disk store


@dataclass(frozen=True, slots=True)
class Written:
    lines: int
    byte_size: int
    sha256: str
    copy: bytes | Path | None = None   # the lines of `copy_predicates` (unsorted), in a file beside when huge


class _Terms:
    """Each term's N-Triples text, made and encoded once (most recur on many lines); forgotten after each run.

    Each IRI is checked here, once, by Oxigraph's own IRI parser (rdflib keeps an IRI with a space, which no
    N-Triples reader accepts): so every store may load the written text without checking it again."""

    def __init__(self) -> None:
        import pyoxigraph as ox

        self.texts: dict[Node, bytes] = {}
        self.iri = ox.NamedNode

    def __call__(self, node: Node) -> bytes:
        text = self.texts.get(node)
        if text is None:
            if isinstance(node, URIRef):
                try:
                    self.iri(node)
                except ValueError as err:
                    raise PlanlodError(f"{str(node)!r} is not an IRI that N-Triples can carry: {err}",
                                       hint="IRIs must be valid RFC 3987 IRIs (percent-encode spaces)") from None
                text = f"<{node}>".encode()   # URIRef.n3() checks again what Oxigraph just did
            elif isinstance(node, Literal):
                text = _quoteLiteral(node).encode("utf-8")   # what rdflib's N-Triples rows hold
            else:
                text = node.n3().encode("utf-8")
            self.texts[node] = text
        return text


def write_ntriples(triples: Iterable[tuple[Node, Node, Node]], path: Path, run_lines: int | None = None, *,
                   copy_predicates: frozenset[str] | None = None) -> Written:
    """Sorted, each triple once, written to `path`: what serialize_graph gives for a Graph of the same triples
    (rdflib's own row writer; tests/test_ntriples.py), holding at most `run_lines` (RUN_LINES) lines in memory.

    The lines whose predicate (its N-Triples text, `<iri>`) is in `copy_predicates` are also kept apart, as
    they go by (`Written.copy`; a file beside `path` once the lines are sorted in runs, which the caller
    removes): the part of a report its SPARQL constraints read, at the cost of a set lookup a line."""
    run_lines = run_lines or RUN_LINES
    term = _Terms()
    known = term.texts
    runs: list[Path] = []
    # Bytes, not str: joined without encoding the text again, and sorted by memcmp (UTF-8 sorts as code
    # points do), ~20% faster than str with Japanese in it. A dict, not a set: one triple once as well, but
    # kept in the order the rules made them (a subject's triples together), which Python's sort finds runs
    # in: a third of the time it took on a set's hash order.
    lines: dict[bytes, None] = {}
    copy: list[bytes] | None = None if copy_predicates is None else []
    wanted = frozenset(p.encode("utf-8") for p in copy_predicates or ())
    copy_path = path.with_name(f".{path.name}.copy")
    copy_path.unlink(missing_ok=True)   # appended to in runs: never to what a killed build left
    try:
        for s, p, o in triples:
            # the lookups inlined: a call per term was a tenth of the writer's time
            predicate = known.get(p) or term(p)
            line = b" ".join((known.get(s) or term(s), predicate, known.get(o) or term(o), b".\n"))
            lines[line] = None
            if copy is not None and predicate in wanted:
                copy.append(line)
            if len(lines) >= run_lines:
                runs.append(path.with_name(f".{path.name}.run{len(runs)}"))
                runs[-1].write_bytes(b"".join(sorted(lines)))
                lines = {}
                term.texts.clear()
                if copy:
                    with copy_path.open("ab") as handle:
                        handle.write(b"".join(copy))
                    copy.clear()
        if not runs:
            data = b"".join(sorted(lines))
            path.write_bytes(data)
            return Written(data.count(b"\n"), len(data), hashlib.sha256(data).hexdigest(),
                           None if copy is None else b"".join(copy))
        runs.append(path.with_name(f".{path.name}.run{len(runs)}"))
        runs[-1].write_bytes(b"".join(sorted(lines)))
        del lines, term
        if copy is not None:
            with copy_path.open("ab") as handle:
                handle.write(b"".join(copy))
            del copy
        while len(runs) > MAX_OPEN_RUNS:   # a report of millions of rows: merged in rounds, within open-file limits
            group, rest = runs[:MAX_OPEN_RUNS], runs[MAX_OPEN_RUNS:]
            merged_run = path.with_name(f".{path.name}.run{len(runs)}-{len(rest)}")
            _merge(group, merged_run)
            for run in group:
                run.unlink()
            runs = [*rest, merged_run]
        written = _merge(runs, path)
        return Written(written.lines, written.byte_size, written.sha256,
                       None if copy_predicates is None else copy_path)
    except BaseException:
        copy_path.unlink(missing_ok=True)
        raise
    finally:
        for run in runs:
            run.unlink(missing_ok=True)


def _merge(runs: list[Path], path: Path) -> Written:
    with ExitStack() as stack:
        return _write_unique(heapq.merge(*(stack.enter_context(run.open("rb")) for run in runs)), path)


def _write_unique(lines: Iterator[bytes], path: Path) -> Written:
    digest, count, size, previous = hashlib.sha256(), 0, 0, b""
    batch: list[bytes] = []
    with path.open("wb") as out:
        for line in lines:
            if line != previous:   # the same triple in two runs is one line
                batch.append(line)
                previous = line
                count += 1
                if len(batch) >= 10_000:
                    size += _flush(batch, out, digest)
        size += _flush(batch, out, digest)
    return Written(count, size, digest.hexdigest())


def _flush(batch: list[bytes], out: BinaryIO, digest: Any) -> int:
    data = b"".join(batch)
    out.write(data)
    digest.update(data)
    batch.clear()
    return len(data)


def slices(path: Path, size: int | None = None) -> Iterator[bytes]:
    """The file in pieces of about `size` (SLICE_BYTES) bytes, each ending at a line's end."""
    size = size or SLICE_BYTES
    with path.open("rb") as handle:
        rest = b""
        while chunk := handle.read(size):
            chunk = rest + chunk
            cut = chunk.rfind(b"\n") + 1
            if cut:
                yield chunk[:cut]
            rest = chunk[cut:]
        if rest:
            yield rest


def bulk_load(store: object, path: Path, *, lenient: bool = False) -> None:
    """N-Triples from `path` into an Oxigraph store, a slice (SLICE_BYTES) at a time."""
    import pyoxigraph as ox

    for piece in slices(path):
        store.bulk_load(piece, format=ox.RdfFormat.N_TRIPLES, lenient=lenient)  # type: ignore[attr-defined]


__all__ = ["IN_MEMORY_BYTES", "MAX_OPEN_RUNS", "RUN_LINES", "SLICE_BYTES", "Written", "bulk_load", "slices",
           "write_ntriples"]
