"""Conformance to the standards' own rules, beside planlod's shapes: each rule names its source.

A check returns results, one per rule, like validation returns an Outcome: it raises only when it cannot
run. The rules: the RDF Data Cube integrity constraints (cube.py), SKOS integrity (skos.py), the
vocabulary's documentation (vocabulary.py), and the published files' CSVW and JSON-LD (files.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node

from .index import Layer


@dataclass(frozen=True, slots=True)
class Rule:
    id: str          # e.g. 'qb:IC-12', 'skos:S14'
    title: str
    source: str      # where the rule is written: a specification URL with its section


@dataclass(frozen=True, slots=True)
class Failure:
    focus: str       # the resource that breaks the rule
    message: str = ""


@dataclass(frozen=True, slots=True)
class RuleResult:
    rule: Rule
    failures: tuple[Failure, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.failures


def sorted_failures(failures: Iterable[Failure]) -> tuple[Failure, ...]:
    """Each failure once, by focus then message: a rule's results in one order whatever found them."""
    return tuple(sorted(set(failures), key=lambda f: (f.focus, f.message)))


@dataclass(frozen=True)
class Conformance:
    results: tuple[RuleResult, ...]

    @property
    def conforms(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def failed(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if not r.passed)

    def text(self) -> str:
        lines = [f"{len(self.results) - len(self.failed)} of {len(self.results)} rules hold."]
        for result in self.failed:
            lines.append(f"{result.rule.id} {result.rule.title} ({result.rule.source}):")
            lines += [f"  {f.focus}{': ' + f.message if f.message else ''}" for f in result.failures[:20]]
            if len(result.failures) > 20:
                lines.append(f"  … and {len(result.failures) - 20} more")
        return "\n".join(lines) + "\n"


class FilesNotConforming(Exception):
    """The written files break a rule (CSVW, JSON-LD): the site is not swapped in."""

    def __init__(self, conformance: Conformance) -> None:
        super().__init__(conformance.text())
        self.conformance = conformance


@cache
def _parsed(path: Path) -> Graph:
    """A bundled file parsed once per process: each report is checked with it, and none changes it."""
    return Graph().parse(path)


def check_graph(data: Graph) -> Conformance:
    """The rules a graph can be checked against: Data Cube ICs, SKOS integrity and the vocabulary, with
    planlod's vocabulary and field scheme read beside the data (they hold the structures and ranges)."""
    from ..bundled import FIELDS_PATH, VOCAB_PATH
    from ..formats import N_TRIPLES
    from ..serialize import serialize_graph
    from .cube import check_cube
    from .skos import check_skos
    from .vocabulary import check_vocabulary

    vocab = _parsed(VOCAB_PATH)
    together = data + vocab + _parsed(FIELDS_PATH)
    ntriples = serialize_graph(together, N_TRIPLES).encode("utf-8")
    return Conformance((*check_cube(ntriples), *check_skos(together), *check_vocabulary(vocab, data)))


def check_index(report: Layer) -> Conformance:
    """check_graph's results for a report given as an index (subject -> predicate -> objects: the one a large
    build's worker checked the shapes with), without a Graph or a store: the Data Cube constraints transcribed
    to Python (cube_index.py), the same SKOS and vocabulary rules: ~29 µs of CPU a row, where the queries
    on a store of the report took ~120."""
    from rdflib.namespace import RDF

    from .cube_index import check_cube_index
    from .index import Index
    from .skos import check_skos
    from .vocabulary import check_defined

    documentation, defined, bundled = _bundled_vocabulary()
    together = Index(report, bundled)
    skos = check_skos(together)   # reads only: the Data Cube normalization then adds to the index
    used: set[Node] = set()
    for by_p in report.values():
        used.update(by_p)
        used.update(by_p.get(RDF.type, ()))
    return Conformance((*check_cube_index(together), *skos, *documentation,
                        check_defined(defined, used)))


_SHARED: dict[RuleResult, RuleResult] = {}


def shared(conformance: Conformance) -> Conformance:
    """The same results, a rule that held given as one object for every report (a large build's main process
    holds thousands of reports' results, each unpickled apart)."""
    return Conformance(tuple(_SHARED.setdefault(r, r) if r.passed else r for r in conformance.results))


@cache
def _bundled_vocabulary() -> tuple[tuple[RuleResult, ...], frozenset[URIRef], Layer]:
    """Once a process: the vocabulary's own rules, its terms, and it with the field scheme as an index."""
    from ..bundled import FIELDS_PATH, VOCAB_PATH
    from ..shacl.facts import Facts
    from ..vocab import shared_term
    from .vocabulary import defined_terms, documentation_rules

    vocab = _parsed(VOCAB_PATH)
    # in the mapping's own term objects, found by identity in lookups (see cube_index)
    shared = Facts((shared_term(s), shared_term(p), shared_term(o)) for s, p, o in vocab + _parsed(FIELDS_PATH))
    return documentation_rules(vocab), defined_terms(vocab), shared.out


def check_files(site: Path) -> Conformance:
    """The rules of the published files: CSVW and JSON-LD."""
    from .files import check_csvw, check_jsonld

    return Conformance((check_csvw(site), *check_jsonld(site)))
