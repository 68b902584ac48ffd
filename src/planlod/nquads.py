"""The collection's N-Quads (every report's dump in its named graph) on the large path: written from the dumps by
another process, their size known from the dumps beforehand, their checksum put into the catalog afterwards,
so that the catalog is made while they are written (large.build_large)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, Literal
from rdflib.namespace import XSD

from .formats import DATASET_FORMATS, N_TRIPLES
from .ntriples import slices
from .vocab import SPDX

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


# Stands for the N-Quads' SHA-256 in the catalog until they are written: DCAT-AP checks the checksum's count and
# datatype (xsd:hexBinary), never its value, so the catalog is checked as it will be published; the real one, of
# the same length, then goes in its single place in the Turtle text (with_checksum) and in the graph (put_checksum).
PENDING_SHA256 = "0" * 64


def put_checksum(catalog: Graph | None, sha256: str) -> Graph:
    """The catalog's graph with the N-Quads' checksum in the place of PENDING_SHA256."""
    assert catalog is not None   # catalog_texts made it
    pending = list(catalog.subjects(SPDX.checksumValue, Literal(PENDING_SHA256, datatype=XSD.hexBinary)))
    if len(pending) != 1:
        raise RuntimeError(f"the catalog holds {len(pending)} pending checksums, not 1")
    return catalog.set((pending[0], SPDX.checksumValue, Literal(sha256, datatype=XSD.hexBinary)))


def with_checksum(text: str, sha256: str) -> str:
    if text.count(PENDING_SHA256) != 1:
        raise RuntimeError(f"the catalog holds {text.count(PENDING_SHA256)} pending checksums, not 1")
    return text.replace(PENDING_SHA256, sha256)


__all__ = ["PENDING_SHA256", "nquads_size", "put_checksum", "with_checksum", "write_nquads"]
