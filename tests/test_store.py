"""planlod publish into a real Virtuoso, and every example query there gives the embedded answers."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from rdflib import Literal, URIRef

from planlod.cli import main
from planlod.pipeline import graph_of
from planlod.queries import example_queries, run_query

from .conftest import BUNDLED
from .test_serve import _json_rows, _values

GRAPH = "https://w3id.org/planlod/id/dataset/151076-vision-3-fy2020"


@pytest.fixture
def credentials(virtuoso: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("PLANLOD_STORE_USER", virtuoso["user"])
    monkeypatch.setenv("PLANLOD_STORE_PASSWORD", virtuoso["password"])
    return virtuoso


def count(virtuoso: dict[str, str], graph: str = GRAPH) -> int:
    response = requests.post(virtuoso["query"], timeout=60, headers={"Accept": "application/sparql-results+json"},
                             data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"})
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_publish_loads_one_named_graph_and_replaces_it(credentials: dict[str, str], site: Path) -> None:
    args = ["publish", "--endpoint", credentials["gsp"], "--query-endpoint", credentials["query"],
            "--site", str(site)]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    triples = len(graph_of(BUNDLED))
    assert f"Loaded {triples} triples into <{GRAPH}>" in first.stderr
    assert count(credentials) == triples
    again = CliRunner().invoke(main, args)                      # replace, not add
    assert again.exit_code == 0 and count(credentials) == triples


def test_publish_into_another_graph(credentials: dict[str, str], site: Path) -> None:
    other = "https://example.org/graph/planlod-test"
    result = CliRunner().invoke(main, ["publish", "--endpoint", credentials["gsp"], "--graph", other,
                                       "--site", str(site)])
    assert result.exit_code == 0, result.output
    assert count(credentials, other) == len(graph_of(BUNDLED))


@pytest.mark.parametrize("query", example_queries(), ids=lambda q: q.name)
def test_every_example_gives_the_same_answer_in_virtuoso(credentials: dict[str, str], site: Path, query) -> None:  # type: ignore[no-untyped-def]
    CliRunner().invoke(main, ["publish", "--endpoint", credentials["gsp"], "--site", str(site)])
    response = requests.post(credentials["query"], timeout=120, headers={"Accept": "application/sparql-results+json"},
                             data={"query": query.text, "default-graph-uri": GRAPH})
    assert response.status_code == 200, response.text[:500]
    names, rows = run_query(graph_of(BUNDLED), query)
    document = response.json()
    assert document["head"]["vars"] == names
    assert _json_rows(document) == _values(rows)


def test_wrong_credentials_are_a_clear_refusal(virtuoso: dict[str, str], site: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANLOD_STORE_USER", "dba")
    monkeypatch.setenv("PLANLOD_STORE_PASSWORD", "not-the-password")
    result = CliRunner().invoke(main, ["publish", "--endpoint", virtuoso["gsp"], "--site", str(site)])
    assert result.exit_code == 2
    assert "the store refused the credentials (401)" in result.stderr and "PLANLOD_STORE_USER" in result.stderr


def test_no_credentials_no_write(virtuoso: dict[str, str], site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANLOD_STORE_USER", raising=False)
    result = CliRunner().invoke(main, ["publish", "--endpoint", virtuoso["gsp"], "--site", str(site)])
    assert result.exit_code == 2 and "refused the credentials" in result.stderr


def test_unreachable_store(site: Path) -> None:
    from .conftest import free_port

    result = CliRunner().invoke(main, ["publish", "--endpoint", f"http://127.0.0.1:{free_port()}/gsp",
                                       "--site", str(site)])
    assert result.exit_code == 2 and "cannot reach the store" in result.stderr and "Traceback" not in result.output


def test_credentials_never_on_the_command_line() -> None:
    result = CliRunner().invoke(main, ["publish", "--help"])
    assert "--password" not in result.output and "--user" not in result.output
    assert "PLANLOD_STORE_PASSWORD" in result.output


def test_literal_types_survive_the_round_trip(credentials: dict[str, str], site: Path) -> None:
    CliRunner().invoke(main, ["publish", "--endpoint", credentials["gsp"], "--site", str(site)])
    query = ("SELECT ?count WHERE { ?d a <https://w3id.org/planlod/def#DeclaredCount> ; "
             "<https://w3id.org/planlod/def#summaryTable> 'overall' ; "
             "<https://w3id.org/planlod/def#resultCategory> <https://w3id.org/planlod/def#allResults> ; "
             "<https://w3id.org/planlod/def#count> ?count }")
    response = requests.post(credentials["query"], timeout=60, headers={"Accept": "application/sparql-results+json"},
                             data={"query": query, "default-graph-uri": GRAPH})
    assert _json_rows(response.json()) == _values([[Literal(103)]])
    assert URIRef(GRAPH)
