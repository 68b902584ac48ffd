"""Validation is a value: conforms, the report graph, and readable issues (like pySHACL)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, SKOS
from rdflib.term import Node

from .bundled import SHAPES_PATH
from .errors import PlanlodError
from .shacl.facts import Facts

if TYPE_CHECKING:   # for annotations: the engine itself is imported where it runs, as before
    from .shacl import CompiledShapes, Result

SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True, slots=True)
class Issue:
    severity: str            # 'Violation', 'Warning', 'Info'
    shape: str               # the source shape, shortened
    focus: str               # focus node IRI
    focus_label: str
    path: str
    value: str
    message: str             # English message (Japanese in the report graph too)
    message_ja: str
    constraint: str          # sh:sourceConstraintComponent, shortened


@dataclass(frozen=True)
class Outcome:
    conforms: bool           # no Violation (Warnings and Info do not fail)
    report: Graph            # the sh:ValidationReport, publishable as is
    issues: tuple[Issue, ...]

    @property
    def violations(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "Violation")

    def text(self) -> str:
        return render_outcome(self)


def _is_japanese(text: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text)


def load_shapes(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths or (SHAPES_PATH,):
        try:
            graph.parse(path, format="turtle")
        except Exception as err:  # rdflib raises many kinds; all mean "cannot read these shapes"
            raise PlanlodError(f"cannot read the shapes: {err}", where=str(path)) from None
    return graph


def _short(graph: Graph, node: object) -> str:
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:
            return str(node)
    return "" if node is None else str(node)


def _shape_name(shapes: Graph, shape: Node | None) -> str:
    """A blank property shape is named after the node shape that holds it, and its path."""
    if isinstance(shape, URIRef) or shape is None:
        return _short(shapes, shape)
    parent = shapes.value(None, SH.property, shape)
    path = shapes.value(shape, SH.path)
    return f"{_short(shapes, parent)} {_short(shapes, path)}".strip()


def validate_graph(data: Graph, shapes: Graph | None = None, *, engine: str = "planlod",
                   report_base: str | None = None) -> Outcome:
    """Validate against planlod's shapes (or `shapes`); never raises on non-conformance.

    engine "planlod": the compiled engine (planlod.shacl), for planlod's and DCAT-AP's shapes; "pyshacl": pySHACL
    (SHACL-SPARQL on, no inference, no owl:imports), for any shapes (the compiled engine refuses shapes using
    what it does not compile)."""
    if engine == "planlod":
        return validate_triples(data, label=lambda n: str(data.value(n, SKOS.prefLabel) or ""), names=data,
                                shapes=shapes, report_base=report_base)
    if engine != "pyshacl":
        raise PlanlodError(f"no SHACL engine '{engine}'", hint="use planlod or pyshacl")
    return _validate_pyshacl(data, shapes if shapes is not None else load_shapes())


def validate_triples(triples: Iterable[tuple[Node, Node, Node]] | Facts, *, ntriples: bytes | Path | None = None,
                     label: Callable[[Node], str] | None = None, names: Graph | None = None,
                     report_base: str | None = None, shapes: Graph | None = None) -> Outcome:
    """One report's triples (or their index) validated with the compiled shapes (planlod.shacl); `ntriples`
    (the text, or its file), when the caller has them, spare serializing the triples again for the SPARQL
    constraints: all the triples, or at least those of the predicates the constraints read
    (`planlod.shacl.reads_of`)."""
    from .shacl import CompiledShapes, check_triples, compile_shapes, compiled

    rules = compiled(SHAPES_PATH) if shapes is None else CompiledShapes(shapes, compile_shapes(shapes))
    facts = triples if isinstance(triples, Facts) else Facts(triples)
    results = list(check_triples(facts, rules.shapes, ntriples))
    return outcome_of(results, rules, names=names, label=label or facts.label, report_base=report_base)


def outcome_of(results: list[Result], rules: CompiledShapes, *, names: Graph | None = None,
               label: Callable[[Node], str] = lambda _: "", report_base: str | None = None) -> Outcome:
    """The compiled engine's results as an Outcome: the report graph and the readable issues, terms shortened
    with the prefixes of `names`."""
    from .shacl import REPORT_BASE, report_graph
    from .vocab import bind_prefixes

    names = names if names is not None else bind_prefixes(Graph())
    # Each term shortened once: a catalog of 1,918 reports has 15,348 warnings of 8 shapes.
    shape_name, rule_term = cache(partial(_shape_name, rules.graph)), cache(partial(_short, rules.graph))
    data_term = cache(partial(_short, names))
    issues = [Issue(
        severity=rule_term(r.severity).split(":")[-1],
        shape=shape_name(r.shape),
        focus=str(r.focus), focus_label=label(r.focus),
        path=data_term(r.path), value=data_term(r.value),
        **_messages(r.messages),
        constraint=rule_term(r.component)) for r in results]
    return _outcome(report_graph(results, rules.graph, report_base or REPORT_BASE), issues)


def _messages(messages: Iterable[Node]) -> dict[str, str]:
    # pySHACL drops the language tags of SHACL-SPARQL messages: tell Japanese by its script.
    literals = [m for m in messages if isinstance(m, Literal)]
    by_lang = {m.language or ("ja" if _is_japanese(str(m)) else None): str(m) for m in sorted(literals, key=str)}
    return {"message": by_lang.get("en") or by_lang.get(None) or (str(literals[0]) if literals else ""),
            "message_ja": by_lang.get("ja", "")}


def _outcome(report: Graph, issues: list[Issue]) -> Outcome:
    issues.sort(key=lambda i: (SEVERITIES.index(i.severity) if i.severity in SEVERITIES else len(SEVERITIES),
                               i.shape, i.focus, i.path, i.value, i.message))
    return Outcome(not any(i.severity == "Violation" for i in issues), report, tuple(issues))


def _validate_pyshacl(data: Graph, shapes: Graph) -> Outcome:
    import pyshacl  # imported here: it is slow to import and only this stage needs it

    try:
        _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True,
                                        allow_infos=True, do_owl_imports=False, advanced=True)
    except Exception as err:  # pySHACL refuses malformed shapes with its own exception types
        raise PlanlodError(f"SHACL validation could not run: {err}", hint="check the shapes graph") from None
    assert isinstance(report, Graph)
    issues = []
    # Only the report's own results: nested ones (sh:detail) explain those, they are not more failures.
    for result in report.objects(report.value(predicate=RDF.type, object=SH.ValidationReport), SH.result):
        focus = report.value(result, SH.focusNode)
        label = data.value(focus, SKOS.prefLabel) if focus is not None else None
        issues.append(Issue(
            severity=_short(report, report.value(result, SH.resultSeverity)).split(":")[-1],
            shape=_shape_name(shapes, report.value(result, SH.sourceShape)),
            focus=str(focus), focus_label=str(label) if label else "",
            path=_short(data, report.value(result, SH.resultPath)),
            value=_short(data, report.value(result, SH.value)),
            **_messages(report.objects(result, SH.resultMessage)),
            constraint=_short(report, report.value(result, SH.sourceConstraintComponent)),
        ))
    return _outcome(report, issues)


def render_outcome(outcome: Outcome) -> str:
    counts: dict[str, int] = defaultdict(int)
    for issue in outcome.issues:
        counts[issue.severity] += 1
    lines = ["Conforms." if outcome.conforms else "Does not conform."]
    lines.append(", ".join(f"{counts[s]} {s.lower()}{'s' if counts[s] != 1 else ''}"
                           for s in SEVERITIES))
    by_shape: dict[tuple[str, str], list[Issue]] = defaultdict(list)
    for issue in outcome.issues:
        by_shape[(issue.severity, issue.shape)].append(issue)
    for (severity, shape), issues in by_shape.items():
        lines.append("")
        lines.append(f"{severity}: {shape} ({len(issues)})")
        for i in issues:
            name = f" 「{i.focus_label}」" if i.focus_label else ""
            where = f" {i.path}" if i.path else ""
            value = f" = {i.value}" if i.value and i.value.strip("<>") != i.focus else ""
            lines.append(f"  {i.focus}{name}{where}{value}")
            lines.append(f"    {i.message}" + (f" / {i.message_ja}" if i.message_ja else ""))
    return "\n".join(lines) + "\n"


def stable_report(report: Graph, base_iri: str) -> Graph:
    """The report with its blank nodes named by their content: the same report gives the same bytes."""
    from rdflib import BNode
    from rdflib.compare import to_canonical_graph

    if not any(isinstance(t, BNode) for triple in report for t in triple):
        return report  # the compiled engine names its results already
    canonical = to_canonical_graph(report)
    named = Graph()
    for prefix, namespace in report.namespaces():
        named.bind(prefix, namespace)

    def name(term: Node) -> Node:
        return URIRef(f"{base_iri}{term}") if isinstance(term, BNode) else term

    for s, p, o in canonical:
        named.add((name(s), name(p), name(o)))
    return named
