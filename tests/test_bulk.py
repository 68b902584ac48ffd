"""Bulk loading into Virtuoso with its own loader (bulk.py): a large collection through ld_dir and
rdf_loader_run, answering the tally queries as the records say."""

from __future__ import annotations

import os
import shutil
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner

from planlod.bulk import BulkSettings, bulk_load, loader_script, split_quads, swap_script
from planlod.bundled import BUNDLED_CATALOG
from planlod.cli import main
from planlod.collection import find_sources
from planlod.errors import PlanlodError
from planlod.pipeline import read_reports
from planlod.queries import example_queries

from .conftest import HERE, running_virtuoso

sys.path.insert(0, str(HERE.parent / "benchmarks"))
from synthetic import write_collection  # noqa: E402

# The size for CI: 100,000 evaluations (about 3.9M quads); smaller with PLANLOD_BULK_EVALUATIONS.
EVALUATIONS = int(os.environ.get("PLANLOD_BULK_EVALUATIONS", "100000"))


@pytest.fixture(scope="module")
def bulk_sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sources = tmp_path_factory.mktemp("bulk-sources")
    write_collection(sources, EVALUATIONS, seed=5)
    return sources


@pytest.fixture(scope="module")
def large_site(bulk_sources: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    sources = bulk_sources
    site = tmp_path_factory.mktemp("bulk") / "site"
    result = CliRunner().invoke(main, ["build", "--large", "--source-dir", str(sources), "--out", str(site),
                                       "--catalog", str(BUNDLED_CATALOG)])
    assert result.exit_code == 0, result.output
    return site


def test_split_quads_keeps_every_line_whole_and_in_order(tmp_path: Path) -> None:
    source = tmp_path / "all.nq"
    lines = [f"<urn:s{i}> <urn:p> \"{'x' * (i % 7)}\" <urn:g> .\n".encode() for i in range(500)]
    source.write_bytes(b"".join(lines))
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "planlod-99999.nq").write_bytes(b"stale")
    files = split_quads(source, tmp_path / "out", 2_000)
    assert [f.name for f in files] == [f"planlod-{i:05d}.nq" for i in range(1, len(files) + 1)]
    assert all(f.stat().st_size <= 2_000 for f in files) and len(files) > 5
    assert b"".join(f.read_bytes() for f in files) == source.read_bytes()
    assert not (tmp_path / "out" / "planlod-99999.nq").exists()


def test_split_quads_puts_each_report_in_its_staging_graph(tmp_path: Path) -> None:
    source = tmp_path / "all.nq"
    source.write_bytes(b'<urn:s> <urn:p> "a <b> . c" <https://e.org/g1> .\n'
                       b'<urn:s> <urn:p> <urn:o> <https://e.org/g2> .\n')
    staging = {"https://e.org/g1": "urn:x:1", "https://e.org/g2": "urn:x:2"}
    files = split_quads(source, tmp_path / "out", 1_000, staging)
    assert files[0].read_bytes() == b'<urn:s> <urn:p> "a <b> . c" <urn:x:1> .\n<urn:s> <urn:p> <urn:o> <urn:x:2> .\n'
    with pytest.raises(PlanlodError, match="not a report's") as raised:
        split_quads(source, tmp_path / "out", 1_000, {"https://e.org/g1": "urn:x:1"})
    assert raised.value.where == f"{source}:2"


def test_the_sessions_load_beside_then_swap() -> None:
    script = loader_script(Path("/srv/load"), ["urn:planlod:staging:00001"])
    assert script.splitlines()[0] == "SPARQL CLEAR GRAPH <urn:planlod:staging:00001>;"
    assert "ld_dir('/srv/load', 'planlod-*.nq', 'urn:planlod:no-graph');" in script
    assert script.index("rdf_loader_run()") < script.index("PLANLOD-ERROR") < script.index("PLANLOD-COUNT")
    assert "https://" not in script                       # the published graphs are not touched
    swap = swap_script([("https://example.org/id/dataset/a", "urn:planlod:staging:00001")])
    assert swap.index("CLEAR GRAPH <https://example.org/id/dataset/a>") < swap.index(
        "SET G = iri_to_id('https://example.org/id/dataset/a') WHERE G = iri_to_id('urn:planlod:staging:00001', 0)"
    ) < swap.index("checkpoint") < swap.index("PLANLOD-COUNT")


def test_unsafe_folders_are_refused_before_anything_runs(large_site: Path, tmp_path: Path) -> None:
    with pytest.raises(PlanlodError, match="quoted"):
        bulk_load(large_site, BulkSettings("127.0.0.1:1", tmp_path / "it's"))


def expected_tallies(sources: Path) -> dict[str, dict[str, Any]]:
    """Per report IRI: the count of each result word, and (evaluations, met, not met), from the records."""
    found: dict[str, dict[str, Any]] = {}
    for source in find_sources(sources):
        for table in read_reports(source):
            meta = table.metadata
            report = (f"https://w3id.org/planlod/id/report/{meta.publisher.ward_code}/{meta.plan.id}/"
                      f"fy{table.fiscal_year}")
            pivot = Counter(meta.level(a.result).pivot for a in table.activities)
            found[report] = {"levels": Counter(a.result for a in table.activities),
                             "pivot": (len(table.activities), pivot["met"], pivot["not-met"])}
    return found


def answer(virtuoso: dict[str, str], name: str) -> dict[str, Any]:
    query = next(q for q in example_queries() if q.name == name)
    response = requests.post(virtuoso["query"], timeout=600, data={"query": query.text},
                             headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text[:500]
    found: dict[str, Any] = response.json()
    return found


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A Virtuoso of its own: its default graph, the union of its graphs, then holds this collection only
    (naming 190 graphs in each query instead makes Virtuoso minutes slower)."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso-bulk")) as found:
        yield found


def test_a_large_collection_bulk_loads_into_virtuoso_and_answers_as_the_records_say(
        virtuoso: dict[str, str], bulk_sources: Path, large_site: Path, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    monkeypatch.setenv("PLANLOD_STORE_USER", virtuoso["user"])
    monkeypatch.setenv("PLANLOD_STORE_PASSWORD", virtuoso["password"])
    folder = Path(virtuoso["folder"]) / "bulk"
    result = CliRunner().invoke(main, ["publish", "--bulk-dir", str(folder), "--isql", virtuoso["isql"],
                                       "--chunk-mb", "40", "--site", str(large_site)])
    assert result.exit_code == 0, result.output
    assert len(list(folder.glob("planlod-*.nq"))) >= 2                # split to the chosen size
    reports = len(list((large_site / "data").glob("*.nt")))
    assert result.output.count("graph <") == reports and "triples" in result.output
    # The oracle is the records, read by planlod's reader from the sources: at this size the on-disk store
    # answers these aggregates in minutes (issue 10's open point); tests/test_store.py compares every
    # example query between Virtuoso and the embedded store on the bundled collection.
    expected = expected_tallies(bulk_sources)
    levels: dict[str, Counter[str]] = {}
    for row in answer(virtuoso, "totals-by-result")["results"]["bindings"]:
        levels.setdefault(row["report"]["value"], Counter())[row["label"]["value"]] = int(row["count"]["value"])
    assert levels == {report: tally["levels"] for report, tally in expected.items()}
    met_rate_rows = answer(virtuoso, "met-rate-by-report")["results"]["bindings"]
    pivots = {row["report"]["value"]: (int(row["evaluations"]["value"]), int(row["metCount"]["value"]),
                                       int(row["notMetCount"]["value"]))
              for row in met_rate_rows}
    assert pivots == {report: tally["pivot"] for report, tally in expected.items()}
    # a second load replaces each graph: the counts stay those of the dumps
    again = CliRunner().invoke(main, ["publish", "--bulk-dir", str(folder), "--isql", virtuoso["isql"],
                                      "--site", str(large_site)])
    assert again.exit_code == 0 and again.output == result.output
    # a load that fails (a malformed quad deep in the N-Quads) leaves the published graphs as they were
    broken = tmp_path / "broken-site"
    shutil.copytree(large_site, broken, ignore=shutil.ignore_patterns(".store"))
    quads = (broken / "data" / "all.nq").read_bytes().splitlines(keepends=True)
    middle = len(quads) * 3 // 4
    quads[middle] = quads[middle].replace(b"> <", b"> not-a-term <", 1)
    (broken / "data" / "all.nq").write_bytes(b"".join(quads))
    failed = CliRunner().invoke(main, ["publish", "--bulk-dir", str(folder), "--isql", virtuoso["isql"],
                                       "--site", str(broken)])
    assert failed.exit_code == 2 and "the published graphs are unchanged" in failed.stderr, failed.output
    assert answer(virtuoso, "met-rate-by-report")["results"]["bindings"] == met_rate_rows
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'urn:planlod:')) }"
    staged = requests.post(virtuoso["query"], data={"query": count}, timeout=600,
                           headers={"Accept": "application/sparql-results+json"}).json()
    assert staged["results"]["bindings"][0]["n"]["value"] == "0"     # the staging graphs were dropped
