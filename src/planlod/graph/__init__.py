"""Records -> RDF graph: a table of small rules, each one concern, applied in order."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rdflib import Graph

from ..records import ProgressTable
from ..vocab import bind_prefixes
from .context import MappingContext, make_context
from .iris import DEFAULT_BASE
from .observations import declared_rule, evaluation_rule, reference_rule
from .provenance import fiscal_year_rule, report_rule
from .structure import (
    Triple,
    assessment_rule,
    field_rule,
    hierarchy_rule,
    organisation_rule,
    plan_rule,
    project_rule,
    scale_rule,
)

Rule = Callable[[MappingContext], Iterator[Triple]]
RULES: tuple[Rule, ...] = (
    organisation_rule, plan_rule, hierarchy_rule, field_rule, scale_rule, assessment_rule, project_rule,
    evaluation_rule, reference_rule, declared_rule, report_rule, fiscal_year_rule,
)


def build_graph(table: ProgressTable, base: str = DEFAULT_BASE, ctx: MappingContext | None = None) -> Graph:
    """The report's graph; `ctx` when the caller has made the mapping context already."""
    ctx = ctx or make_context(table, base)
    graph = bind_prefixes(Graph())
    for rule in RULES:
        for triple in rule(ctx):
            graph.add(triple)
    return graph


__all__ = ["DEFAULT_BASE", "RULES", "build_graph"]
