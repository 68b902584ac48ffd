"""validation-report.ttl: every report's SHACL results together, from one graph (the small path) or from each
report's results on disk (the large path), with the same bytes.

On the large path a worker writes its report's results (`write_report_results`) and the main process keeps only
their readable issues: as rdflib graphs they were ~75 kB a report in the main process (a report of 103 rows with
a few warnings: 83 triples), ~730 MB for the ~10,000 reports of 1,700 municipalities over five years, and their
union as many again while it was written. Here they are read back a report at a time into a Turtle document
whose blocks wait on disk for their order.
"""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SH
from rdflib.term import Node

from ..formats import TURTLE
from ..serialize import QNames, rdflib_turtle, serialize_graph
from ..turtle import FileBlocks, TurtleDocument, Unwritable
from ..validate import Outcome, stable_report
from .context import PublishContext
from .files import write_chunks, write_file

NAME = "validation-report.ttl"
RESULTS_DIR = ".validation"   # in the build folder: each report's results, removed once the file is written


def write_report_results(outcome: Outcome, base: str, folder: Path, dataset_id: str) -> None:
    """One report's results, named after its report (`base`) as pipeline.combine_outcomes names them, pickled:
    read back ~7 times faster than as N-Triples by rdflib (2 µs a triple; 9,709 reports hold ~800,000), the same
    terms. Only this build's own folder is read back."""
    folder.mkdir(parents=True, exist_ok=True)
    triples = tuple(stable_report(outcome.report, base))
    (folder / f"{dataset_id}.pickle").write_bytes(pickle.dumps(triples, protocol=pickle.HIGHEST_PROTOCOL))


def write_validation_report(ctx: PublishContext, results: Path | None = None) -> None:
    """From ctx.outcome.report, or from the reports' results in `results` (removed after)."""
    if results is None:
        # The reports' results, each already named after its report (see pipeline.combine_outcomes).
        write_file(ctx, NAME, serialize_graph(ctx.outcome.report, TURTLE))
        return
    names = _with_prefixes(Graph(store="SimpleMemory"))
    blocks = FileBlocks(results / ".blocks")
    document = TurtleDocument(QNames(names), names.store, blocks)
    try:
        for report in ctx.reports:
            document.add(_results(results, report.dataset_id))
        # rdflib encodes with "replace": what UTF-8 cannot carry (a lone surrogate) becomes "?"
        write_chunks(ctx, NAME, document.chunks(), errors="replace")
    except Unwritable:   # what planlod's Turtle does not write as rdflib does: rdflib writes it, from one graph
        union = _with_prefixes(Graph(store="SimpleMemory"))
        for report in ctx.reports:
            for triple in _results(results, report.dataset_id):
                union.add(triple)
        write_file(ctx, NAME, rdflib_turtle(union))
    finally:
        blocks.close()
    shutil.rmtree(results, ignore_errors=True)


def _with_prefixes(graph: Graph) -> Graph:
    """rdflib's default prefixes and SHACL's, as combine_outcomes' graph has them (bound when its namespace manager
    is first made: an untouched graph has none, and planlod's Turtle declines a predicate without a prefix)."""
    graph.namespace_manager.bind("sh", SH)
    return graph


def _results(folder: Path, dataset_id: str) -> list[tuple[Node, Node, Node]]:
    triples: list[tuple[Node, Node, Node]] = list(pickle.loads((folder / f"{dataset_id}.pickle").read_bytes()))
    return triples


__all__ = ["NAME", "RESULTS_DIR", "write_report_results", "write_validation_report"]
