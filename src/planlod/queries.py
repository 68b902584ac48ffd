"""The SPARQL examples: each .rq file starts with comment lines saying what it answers."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.query import Result

from .bundled import QUERIES_DIR
from .errors import PlanlodError


@dataclass(frozen=True, slots=True)
class Query:
    name: str          # file stem
    purpose: str       # the leading comment
    text: str


def read_query(path: Path) -> Query:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise PlanlodError(f"cannot read the query: {err.strerror}", where=str(path)) from None
    purpose = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        purpose.append(line.lstrip("#").strip())
    return Query(path.stem, " ".join(purpose).strip(), text)


def example_queries() -> list[Query]:
    return [read_query(p) for p in sorted(QUERIES_DIR.glob("*.rq"))]


def oxigraph_store(*dumps: Path) -> Any:
    """An in-memory Oxigraph store with the given N-Triples files (the engine `serve` uses too)."""
    import pyoxigraph as ox

    store = ox.Store()
    for dump in dumps:
        store.bulk_load(path=str(dump), format=ox.RdfFormat.N_TRIPLES)
    return store


def site_store(site: Path) -> Any:
    """The built data of a site as an Oxigraph store, every report in its default graph: a large site's
    on-disk store (opened read-only), else the dumps loaded in memory."""
    import pyoxigraph as ox

    from .large import STORE_DIR

    if (site / STORE_DIR).is_dir():
        return ox.Store.read_only(str(site / STORE_DIR))
    dumps = sorted((site / "data").glob("*.nt"))
    if not dumps:
        raise PlanlodError("no built data found", where=str(site), hint="run `planlod build` first")
    return oxigraph_store(*dumps)


def _from_oxigraph(term: Any) -> object:
    """As rdflib reads the same data (xsd:string a plain literal), so both paths give the same table."""
    from .shacl import rdflib_term

    return None if term is None else rdflib_term(term)


def run_query(graph: Any, query: Query) -> tuple[list[str], list[list[object]]]:
    """Run on an rdflib Graph, or on an Oxigraph store (far faster); rdflib terms come back either way."""
    import pyoxigraph as ox

    if isinstance(graph, ox.Store):
        try:
            answer = graph.query(query.text)
        except SyntaxError as err:
            raise PlanlodError(f"the query cannot run: {err}", where=query.name) from None
        if isinstance(answer, ox.QueryBoolean):
            return ["ask"], [[Literal(bool(answer))]]
        if not isinstance(answer, ox.QuerySolutions):
            raise PlanlodError("only SELECT and ASK queries give tables", where=query.name)
        names = [v.value for v in answer.variables]
        return names, [[_from_oxigraph(solution[n]) for n in names] for solution in answer]
    try:
        result: Result = graph.query(query.text)
    except Exception as err:  # rdflib raises parser and evaluation errors of many types
        raise PlanlodError(f"the query cannot run: {err}", where=query.name) from None
    if result.type == "ASK":
        return ["ask"], [[Literal(bool(result.askAnswer))]]
    if result.type != "SELECT":
        raise PlanlodError("only SELECT and ASK queries give tables", where=query.name)
    names = [str(v) for v in result.vars or []]
    return names, [[row[i] for i in range(len(names))] for row in result]  # type: ignore[index]


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def format_result(names: list[str], rows: list[list[object]], fmt: str) -> str:
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        writer.writerows([[_cell(v) for v in row] for row in rows])
        return out.getvalue()
    if fmt == "json":
        bindings = []
        for row in rows:
            binding = {}
            for name, value in zip(names, row, strict=True):
                if isinstance(value, URIRef):
                    binding[name] = {"type": "uri", "value": str(value)}
                elif isinstance(value, Literal):
                    entry = {"type": "literal", "value": str(value)}
                    if value.language:
                        entry["xml:lang"] = value.language
                    elif value.datatype:
                        entry["datatype"] = str(value.datatype)
                    binding[name] = entry
            bindings.append(binding)
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False,
                          indent=2) + "\n"
    from .report import display_width, pad

    # Aligned by display width (a Japanese character takes two columns); numbers to the right.
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([display_width(n)] + [display_width(r[i]) for r in cells]) for i, n in enumerate(names)]
    numeric = [bool(rows) and all(_is_number(r[i]) for r in rows if r[i] is not None) for i in range(len(names))]
    lines = ["  ".join(pad(n, widths[i], numeric[i]) for i, n in enumerate(names)).rstrip()]
    lines += ["  ".join(pad(v, widths[i], numeric[i]) for i, v in enumerate(row)).rstrip() for row in cells]
    return "\n".join(lines) + f"\n({len(rows)} rows)\n"


def _is_number(value: object) -> bool:
    return isinstance(value, Literal) and isinstance(value.toPython(), (int, float, Decimal)) \
        and not isinstance(value.toPython(), bool)
