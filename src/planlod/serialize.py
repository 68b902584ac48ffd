"""Deterministic serializations: the same graph gives the same bytes in every format."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from rdflib import Graph

from .bundled import CONTEXT_PATH
from .formats import RdfFormat


@cache
def jsonld_context() -> dict[str, Any]:
    context: dict[str, Any] = json.loads(CONTEXT_PATH.read_text(encoding="utf-8"))["@context"]
    return context


def _sorted_json(value: Any) -> Any:
    """Sort what JSON-LD leaves unordered (node arrays, set-valued properties) so bytes are stable."""
    if isinstance(value, dict):
        return {k: _sorted_json(v) if k != "@context" else v for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def serialize_graph(graph: Graph, rdf_format: RdfFormat) -> str:
    if rdf_format.name == "nt":
        # Split on "\n" only: N-Triples ends each triple with it, while U+2028, U+0085 or a form feed
        # inside a literal are data (str.splitlines() would cut triples apart).
        lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").split("\n")
        return "".join(line + "\n" for line in sorted(set(lines)) if line.strip())
    if rdf_format.name == "json-ld":
        text = graph.serialize(format="json-ld", context=jsonld_context(), auto_compact=True)
        return json.dumps(_sorted_json(json.loads(text)), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return graph.serialize(format=rdf_format.name)
