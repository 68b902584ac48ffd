"""SPARQL 1.1 result serializations (JSON, XML, CSV, TSV) for a capped list of solutions."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..formats import FORMATS

Row = Sequence["ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None"]

SELECT_TYPES = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values", "application/json"]
# The RDF formats a CONSTRUCT or DESCRIBE answer can take, from the one format table.
GRAPH_TYPES = {f.media_type: getattr(ox.RdfFormat, f.oxigraph) for f in FORMATS if f.oxigraph}


def _json_term(term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    assert isinstance(term, ox.Literal)
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    assert isinstance(term, ox.Literal)
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def serialize_solutions(names: list[str], rows: list[Row], media_type: str) -> bytes:
    if media_type in ("application/sparql-results+json", "application/json"):
        bindings = [{n: _json_term(t) for n, t in zip(names, row, strict=True) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False).encode()
    if media_type == "application/sparql-results+xml":
        head = "".join(f"<variable name={quoteattr(n)}/>" for n in names)
        results = "".join(
            "<result>" + "".join(f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                                 for n, t in zip(names, row, strict=True) if t is not None) + "</result>"
            for row in rows)
        return (f'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>{head}</head>'
                f"<results>{results}</results></sparql>").encode()
    if media_type == "text/csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows([[("" if t is None else t.value if not isinstance(t, ox.Triple) else str(t)) for t in row]
                          for row in rows])
        return out.getvalue().encode()
    assert media_type == "text/tab-separated-values"
    lines = ["\t".join(f"?{n}" for n in names)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def serialize_boolean(value: bool, media_type: str) -> bytes:
    if media_type in ("application/sparql-results+json", "application/json"):
        return json.dumps({"head": {}, "boolean": value}).encode()
    if media_type == "application/sparql-results+xml":
        return (f'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>").encode()
    return ("true\n" if value else "false\n").encode()
