"""Bulk loading into Virtuoso with its own loader (bulk.py): a large collection through ld_dir and
rdf_loader_run, answering the tally queries as planlod's embedded store does."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from planlod.bulk import BulkSettings, bulk_load, loader_script, split_quads
from planlod.bundled import BUNDLED_CATALOG
from planlod.cli import main
from planlod.errors import PlanlodError
from planlod.queries import example_queries, run_query, site_store

from .conftest import HERE, running_virtuoso
from .test_serve import _json_rows, _values

sys.path.insert(0, str(HERE.parent / "benchmarks"))
from synthetic import write_collection  # noqa: E402

# The size for CI: 100,000 evaluations (about 3.9M quads); smaller with PLANLOD_BULK_EVALUATIONS.
EVALUATIONS = int(os.environ.get("PLANLOD_BULK_EVALUATIONS", "100000"))
TALLIES = ("totals-by-result", "met-rate-by-report", "declared-vs-computed")


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sources = tmp_path_factory.mktemp("bulk-sources")
    write_collection(sources, EVALUATIONS, seed=5)
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


def test_the_loader_session_replaces_each_graph_and_reports_errors_and_counts() -> None:
    script = loader_script(Path("/srv/load"), ["https://example.org/id/dataset/a"])
    assert script.splitlines()[0] == "SPARQL CLEAR GRAPH <https://example.org/id/dataset/a>;"
    assert "ld_dir('/srv/load', 'planlod-*.nq', 'urn:planlod:no-graph');" in script
    assert script.index("rdf_loader_run()") < script.index("checkpoint") < script.index("PLANLOD-ERROR")


def test_unsafe_folders_are_refused_before_anything_runs(large_site: Path, tmp_path: Path) -> None:
    with pytest.raises(PlanlodError, match="quoted"):
        bulk_load(large_site, BulkSettings("127.0.0.1:1", tmp_path / "it's"))


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A Virtuoso of its own: its default graph, the union of its graphs, then holds this collection only
    (naming 190 graphs in each query instead makes Virtuoso minutes slower)."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso-bulk")) as found:
        yield found


def test_a_large_collection_bulk_loads_into_virtuoso_and_answers_alike(
        virtuoso: dict[str, str], large_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANLOD_STORE_USER", virtuoso["user"])
    monkeypatch.setenv("PLANLOD_STORE_PASSWORD", virtuoso["password"])
    folder = Path(virtuoso["folder"]) / "bulk"
    result = CliRunner().invoke(main, ["publish", "--bulk-dir", str(folder), "--isql", virtuoso["isql"],
                                       "--chunk-mb", "40", "--site", str(large_site)])
    assert result.exit_code == 0, result.output
    assert len(list(folder.glob("planlod-*.nq"))) >= 2                # split to the chosen size
    reports = len(list((large_site / "data").glob("*.nt")))
    assert result.output.count("graph <") == reports and "triples" in result.output
    store, union = site_store(large_site)
    for query in (q for q in example_queries() if q.name in TALLIES):
        response = requests.post(virtuoso["query"], timeout=600,
                                 data={"query": query.text},
                                 headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200, response.text[:500]
        names, rows = run_query(store, query, union)
        assert response.json()["head"]["vars"] == names
        assert _json_rows(response.json()) == _values(rows), query.name
    # a second load replaces each graph: the counts stay those of the dumps
    again = CliRunner().invoke(main, ["publish", "--bulk-dir", str(folder), "--isql", virtuoso["isql"],
                                      "--site", str(large_site)])
    assert again.exit_code == 0 and again.output == result.output
