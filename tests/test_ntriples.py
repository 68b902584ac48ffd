"""Sorted N-Triples in bounded memory: runs merged from disk give the bytes the small path writes (rdflib)."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.term import Node

from planlod.bundled import BUNDLED_SOURCE
from planlod.errors import PlanlodError
from planlod.formats import N_TRIPLES
from planlod.graph import build_graph
from planlod.ntriples import bulk_load, slices, write_ntriples
from planlod.pipeline import read_progress_table
from planlod.serialize import serialize_graph


def small_path_bytes(triples: Iterable[tuple[Node, Node, Node]]) -> bytes:
    """What the small path writes for these triples: an rdflib Graph serialized (sorted, each triple once)."""
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return serialize_graph(graph, N_TRIPLES).encode("utf-8")


def test_runs_merged_from_disk_give_the_bytes_sorted_in_memory(tmp_path: Path) -> None:
    triples = list(build_graph(read_progress_table(BUNDLED_SOURCE)))
    shuffled = triples * 2                       # each triple twice, in two different runs
    random.Random(1).shuffle(shuffled)
    expected = small_path_bytes(triples)
    written = write_ntriples(shuffled, tmp_path / "report.nt", run_lines=500)
    assert (tmp_path / "report.nt").read_bytes() == expected
    assert written.lines == expected.count(b"\n") == len(triples) > 1_000   # many runs
    assert written.byte_size == len(expected)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.nt"]     # the runs are gone


def test_more_runs_than_files_open_at_once_are_merged_in_rounds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                  ) -> None:
    import planlod.ntriples

    monkeypatch.setattr(planlod.ntriples, "MAX_OPEN_RUNS", 3)
    triples = list(build_graph(read_progress_table(BUNDLED_SOURCE)))
    opened: list[Path] = []
    real_open = Path.open

    def counting_open(self: Path, *args: object, **kwargs: object) -> object:
        opened.append(self)
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", counting_open)
    written = write_ntriples(triples * 2, tmp_path / "report.nt", run_lines=300)   # ~30 runs
    monkeypatch.undo()
    assert (tmp_path / "report.nt").read_bytes() == small_path_bytes(triples)
    assert written.lines == len(triples)
    runs = [p.name.split(".run")[1] for p in opened if ".run" in p.name]
    assert len(runs) > 20 and any("-" in r for r in runs)     # merged rounds were read back
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.nt"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=40), st.integers(1, 7))
def test_any_text_sorts_alike_in_runs_and_in_memory(tmp_path_factory: pytest.TempPathFactory, texts: list[str],
                                                     run_lines: int) -> None:
    """Line breaks, U+2028, astral characters: escaped on one line, and UTF-8 bytes sort as code points."""
    folder = tmp_path_factory.mktemp("nt")
    triples = [(URIRef(f"urn:x:{n % 3}"), URIRef("urn:p"), Literal(text)) for n, text in enumerate(texts)]
    write_ntriples(triples, folder / "out.nt", run_lines=run_lines)
    assert (folder / "out.nt").read_bytes() == small_path_bytes(triples)


def test_a_failure_while_writing_leaves_no_runs_behind(tmp_path: Path) -> None:
    triples = list(build_graph(read_progress_table(BUNDLED_SOURCE)))

    def failing() -> Iterator[tuple[object, object, object]]:
        yield from triples[:1_200]
        raise PlanlodError("a bad row", where="x.csv:9")

    with pytest.raises(PlanlodError):
        write_ntriples(failing(), tmp_path / "report.nt", run_lines=500,  # type: ignore[arg-type]
                       copy_predicates=frozenset({RDF.type.n3()}))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("bad", ["https://example.org/an evaluation", "https://example.org/<x>", "no-scheme"])
@pytest.mark.parametrize("run_lines", [None, 500])
def test_an_iri_n_triples_cannot_carry_is_refused_and_nothing_is_left(tmp_path: Path, bad: str,
                                                                     run_lines: int | None) -> None:
    """The writer checks each IRI with Oxigraph's parser, so the stores that read its text need not (lenient)."""
    triples = list(build_graph(read_progress_table(BUNDLED_SOURCE)))
    where = 1_100 if run_lines else len(triples) // 2
    planted = [*triples[:where], (URIRef(bad), RDF.type, SKOS.Concept), *triples[where:]]
    with pytest.raises(PlanlodError, match="not an IRI that N-Triples can carry") as raised:
        write_ntriples(planted, tmp_path / "report.nt", run_lines, copy_predicates=frozenset({RDF.type.n3()}))
    assert raised.value.hint and "percent-encode" in raised.value.hint and bad in raised.value.message
    assert list(tmp_path.iterdir()) == []
    # Without it, the same triples are written and load strictly: the check refuses only what Oxigraph does.
    written = write_ntriples(triples, tmp_path / "report.nt", run_lines)
    ox.Store().bulk_load(path=str(tmp_path / "report.nt"), format=ox.RdfFormat.N_TRIPLES)
    assert written.lines == len(set(triples))


@pytest.mark.parametrize("run_lines", [None, 500])
def test_the_lines_of_some_predicates_are_copied_as_they_go_by(tmp_path: Path, run_lines: int | None) -> None:
    """What a report's SPARQL constraints read, kept apart in the same pass: in memory, or (when the lines are
    sorted in runs) in a file beside the dump."""
    triples = list(build_graph(read_progress_table(BUNDLED_SOURCE)))
    wanted = {RDF.type, SKOS.inScheme}
    written = write_ntriples(triples, tmp_path / "report.nt", run_lines=run_lines,
                             copy_predicates=frozenset(p.n3() for p in wanted))
    copy = written.copy if isinstance(written.copy, bytes) else written.copy.read_bytes()  # type: ignore[union-attr]
    assert isinstance(written.copy, bytes) == (run_lines is None)
    assert sorted(set(copy.splitlines(keepends=True))) == \
        small_path_bytes(t for t in triples if t[1] in wanted).splitlines(keepends=True)
    assert (tmp_path / "report.nt").read_bytes() == small_path_bytes(triples)   # the dump as without a copy


def test_slices_end_at_line_ends_and_load_every_triple(tmp_path: Path) -> None:
    path = tmp_path / "report.nt"
    written = write_ntriples(build_graph(read_progress_table(BUNDLED_SOURCE)), path)
    pieces = list(slices(path, size=4_096))
    assert len(pieces) > 10 and all(p.endswith(b"\n") for p in pieces)
    assert b"".join(pieces) == path.read_bytes()
    store = ox.Store()
    bulk_load(store, path)
    assert len(store) == written.lines
