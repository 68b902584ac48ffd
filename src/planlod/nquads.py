"""The collection's N-Quads (every report's dump in its named graph) on the large path: written from the dumps by
another process, their size known from the dumps beforehand, their checksum put into the catalog afterwards,
so that the catalog is made while they are written (large.build_large)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from .formats import DATASET_FORMATS, N_TRIPLES
from .ntriples import slices

if TYPE_CHECKING:
    from .large import Mapped

# A line of N-Triples ends with " .\n" and nowhere else (line breaks in literals are escaped); as a quad, the
# graph's IRI comes before it.
_TRIPLE_ENDING = b" .\n"


def _quad_ending(dataset_iri: str) -> bytes:
    return f" <{dataset_iri}> .\n".encode()


def write_nquads(reports: list[tuple[str, str]], out: Path) -> tuple[str, int, str]:
    """The collection's N-Quads: each report's sorted N-Triples in its named graph, in the order given
    ((dataset id, dataset IRI) pairs, by dataset id)."""
    from .publish.dumps import COLLECTION_ID, dump_name

    nquads = DATASET_FORMATS[0]
    name = dump_name(COLLECTION_ID, nquads.suffix)
    digest, size = hashlib.sha256(), 0
    with (out / name).open("wb") as handle:
        for dataset_id, dataset_iri in reports:
            ending = _quad_ending(dataset_iri)
            for piece in slices(out / dump_name(dataset_id, N_TRIPLES.suffix)):   # whole lines, a huge dump too
                block = piece.replace(_TRIPLE_ENDING, ending)
                handle.write(block)
                digest.update(block)
                size += len(block)
    return name, size, digest.hexdigest()


def nquads_size(mapped: list[Mapped]) -> tuple[str, int]:
    """The collection N-Quads' name and size, from the dumps: write_nquads gives each line of a report's dump
    its graph IRI (_quad_ending)."""
    # imported here, as in write_nquads: the publish package pulls in jinja2, which the workers need not load
    from .publish.dumps import COLLECTION_ID, dump_name

    size = 0
    for m in mapped:
        dump = dump_name(m.report.dataset_id, N_TRIPLES.suffix)
        grown = len(_quad_ending(str(m.report.dataset_iri))) - len(_TRIPLE_ENDING)
        size += next(f[2] for f in m.files if f[0] == dump) + m.triples * grown
    return dump_name(COLLECTION_ID, DATASET_FORMATS[0].suffix), size


__all__ = ["nquads_size", "write_nquads"]
