"""Deciding on the parsed query, never on its text: what the endpoint refuses to run.

The query is parsed with rdflib's SPARQL 1.1 grammar (keywords in any case, any spacing, comments and
strings understood), and the syntax tree is searched for the operations a read-only endpoint never runs.
Updates (INSERT, DELETE, LOAD, CLEAR, …) are not queries and fail to parse as one. A query this grammar
does not accept is refused: the engine only ever sees what the check has understood.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


class UnsafeQuery(Exception):
    """The query is not one this endpoint runs; the message says why."""


# Syntax-tree nodes that would make the engine act outside its store.
_FORBIDDEN = {"ServiceGraphPattern": "SERVICE (federated query) is not allowed on this endpoint"}


def _node_names(node: Any, found: set[str]) -> set[str]:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            found.add(item.name)
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, ParseResults)):
            stack.extend(item)
    return found


@lru_cache(maxsize=256)
def check_query(text: str) -> None:
    """Raise UnsafeQuery unless `text` parses as one SPARQL 1.1 query free of forbidden operations."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
    except ParseBaseException as err:
        raise UnsafeQuery(f"malformed query (only SPARQL 1.1 queries are run here, no updates): {err}") from None
    except RecursionError:
        raise UnsafeQuery("the query is nested too deeply to be read") from None
    for name in sorted(_node_names(tree, set()) & _FORBIDDEN.keys()):
        raise UnsafeQuery(_FORBIDDEN[name])
