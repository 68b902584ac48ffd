"""Conformance to the standards' own rules, beside planlod's shapes: each rule names its source.

A check returns results, one per rule, like validation returns an Outcome: it raises only when it cannot
run. The rules: the RDF Data Cube integrity constraints (cube.py), SKOS integrity (skos.py), the
vocabulary's documentation (vocabulary.py), and the published files' CSVW and JSON-LD (files.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph


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


def check_files(site: Path) -> Conformance:
    """The rules of the published files: CSVW and JSON-LD."""
    from .files import check_csvw, check_jsonld

    return Conformance((check_csvw(site), *check_jsonld(site)))
