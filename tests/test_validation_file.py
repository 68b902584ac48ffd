"""validation-report.ttl from each report's results on disk (the large path): the one graph's bytes."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from planlod.bundled import BUNDLED_CATALOG, BUNDLED_DATA
from planlod.catalog_info import read_catalog_info
from planlod.collection import Report, find_sources
from planlod.formats import TURTLE
from planlod.graph import DEFAULT_BASE
from planlod.pipeline import build_reports, combine_outcomes
from planlod.publish import validation_file
from planlod.publish.context import PublishContext
from planlod.publish.validation_file import NAME, write_report_results, write_validation_report
from planlod.serialize import rdflib_turtle, serialize_graph


@pytest.fixture(scope="module")
def reports() -> tuple[Report, ...]:
    return build_reports(find_sources(BUNDLED_DATA))


def _written(reports: tuple[Report, ...], out: Path, extra: Graph | None = None) -> tuple[str, Graph]:
    """The file written from the reports' results on disk, and the one graph of them (as the small path has)."""
    results = out / ".validation"
    for report in reports:
        write_report_results(report.outcome, f"{report.iris.report('validation')}/", results, report.dataset_id)
    whole = combine_outcomes(reports).report
    if extra is not None:   # in the first report's results
        path = results / f"{reports[0].dataset_id}.pickle"
        path.write_bytes(pickle.dumps((*pickle.loads(path.read_bytes()), *extra)))
        whole += extra
    ctx = PublishContext(reports, Graph(), combine_outcomes(reports), read_catalog_info(BUNDLED_CATALOG),
                         DEFAULT_BASE, DEFAULT_BASE, out)
    write_validation_report(ctx, results)
    assert not results.exists()
    assert ctx.files[NAME].byte_size == (out / NAME).stat().st_size
    return (out / NAME).read_text(encoding="utf-8"), whole


def test_the_reports_results_on_disk_give_the_one_graphs_bytes(reports: tuple[Report, ...], tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Written by planlod's Turtle a report at a time (rdflib not asked), with the one graph's prefixes."""
    monkeypatch.setattr(validation_file, "rdflib_turtle", None)
    text, whole = _written(reports, tmp_path)
    assert len(reports) >= 2 and len(whole) > 4 * len(reports)
    assert text == serialize_graph(whole, TURTLE)
    assert text.startswith("@prefix sh: <http://www.w3.org/ns/shacl#> .")


def test_what_planlods_turtle_declines_rdflib_writes(reports: tuple[Report, ...], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Literals equal in value under one subject and predicate: rdflib's order is its store's, so rdflib writes."""
    asked = []

    def spied(graph: Graph) -> str:
        asked.append(len(graph))
        return rdflib_turtle(graph)

    monkeypatch.setattr(validation_file, "rdflib_turtle", spied)
    node, predicate = URIRef("urn:planlod:validation:x"), URIRef("urn:planlod:validation:count")
    extra = Graph().add((node, predicate, Literal("0", datatype=XSD.integer)))
    extra.add((node, predicate, Literal("0.0", datatype=XSD.decimal)))
    text, whole = _written(reports, tmp_path, extra)
    assert text == serialize_graph(whole, TURTLE)   # rdflib's too, with the same prefixes
    assert "0.0" in text and asked == [len(whole)]
