"""Example queries: the same table from rdflib and from Oxigraph (which `planlod query` and serve use)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from planlod.queries import format_result, oxigraph_store, read_query, run_query

from .conftest import HERE

SITE = HERE.parent / "site"
QUERIES = sorted((HERE.parent / "queries").glob("*.rq"))


def value(term: object) -> object:
    """A number by its value (Oxigraph keeps a literal's value: "98.0"^^xsd:decimal comes back as 98, an
    xsd:positiveInteger as xsd:integer); anything else as the term it is, datatype included."""
    number = term.toPython() if isinstance(term, Literal) else None
    if isinstance(number, (int, Decimal)) and not isinstance(number, bool):
        return ("number", Decimal(str(number)).normalize())
    return ("term", repr(term))


@pytest.fixture(scope="module")
def dumps() -> list[Path]:
    return sorted((SITE / "data").glob("*.nt"))


@pytest.mark.parametrize("query", QUERIES, ids=lambda p: p.stem)
def test_rdflib_and_oxigraph_give_the_same_table(dumps: list[Path], query: Path) -> None:
    graph = Graph()
    for dump in dumps:
        graph.parse(dump, format="nt")
    by_rdflib = run_query(graph, read_query(query))
    by_oxigraph = run_query(oxigraph_store(*dumps), read_query(query))
    assert by_rdflib[0] == by_oxigraph[0]
    assert sorted(repr([value(v) for v in row]) for row in by_rdflib[1]) == \
        sorted(repr([value(v) for v in row]) for row in by_oxigraph[1])


def test_a_plain_string_has_no_datatype_in_json_results(dumps: list[Path]) -> None:
    names, rows = run_query(oxigraph_store(*dumps), read_query(HERE.parent / "queries" / "totals-by-goal.rq"))
    bindings = json.loads(format_result(names, rows, "json"))["results"]["bindings"]
    assert bindings and all("datatype" not in b["notation"] and b["notation"]["type"] == "literal" for b in bindings)
