"""An index of the graph for rendering: labels, types, links both ways, the plan hierarchy."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, SDO, SH, SKOS, TIME
from rdflib.term import Node

from ..vocab import EARL, PLANLOD, SDMX_DIMENSION, SPDX, VCARD, VOID

LABEL_PROPS = (
    SKOS.prefLabel,
    RDFS.label,
    URIRef("http://purl.org/dc/terms/title"),
    URIRef("http://xmlns.com/foaf/0.1/name"),
    VCARD.fn,
)


@dataclass
class GraphIndex:
    graph: Graph
    outgoing: dict[URIRef, list[tuple[URIRef, Node]]] = field(default_factory=lambda: defaultdict(list))
    incoming: dict[URIRef, list[tuple[URIRef, URIRef]]] = field(default_factory=lambda: defaultdict(list))
    types: dict[URIRef, set[URIRef]] = field(default_factory=lambda: defaultdict(set))
    narrower: dict[URIRef, list[URIRef]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, graph: Graph) -> GraphIndex:
        index = cls(graph)
        for s, p, o in sorted(graph):
            if not isinstance(s, URIRef) or not isinstance(p, URIRef):
                continue
            index.outgoing[s].append((p, o))
            if isinstance(o, URIRef):
                index.incoming[o].append((p, s))
            if p == RDF.type and isinstance(o, URIRef):
                index.types[s].add(o)
            if p == SKOS.broader and isinstance(o, URIRef):
                index.narrower[o].append(s)
        for children in index.narrower.values():
            children.sort(key=index.sort_key)
        return index

    def literal(self, node: Node, props: tuple[URIRef, ...] = LABEL_PROPS, lang: str = "ja",
                strict: bool = False) -> str | None:
        """The first label in that language; unless strict, any label when there is none in it."""
        if not isinstance(node, URIRef):
            return None
        found: dict[str | None, str] = {}
        for p, o in self.outgoing.get(node, ()):
            if p in props and isinstance(o, Literal):
                found.setdefault(o.language, str(o))
        if strict:
            return found.get(lang)
        return found.get(lang) or found.get(None) or next(iter(found.values()), None)

    def label(self, node: Node, lang: str = "ja") -> str:
        text = self.literal(node, LABEL_PROPS, lang)
        if text:
            return text
        notation = self.value(node, SKOS.notation)
        if notation is not None:
            return str(notation)
        described = self.described(node)
        if described:
            return described
        # Nodes without a name and of no kind named below: the last two path segments.
        return "/".join(str(node).rstrip("/").rsplit("/", 2)[-2:]) if isinstance(node, URIRef) else str(node)

    def described(self, node: Node) -> str:
        """A name for what has none of its own, said by what it is about (issue 11: no page is titled
        with an IRI path): '評価 Evaluation: <activity> (FY2020)', '訂正 Correction: 行 line 12', …"""
        if not isinstance(node, URIRef):
            return ""
        kinds = self.types.get(node, set())

        def named(prop: URIRef) -> str:
            found = self.value(node, prop)
            return self.label(found) if found is not None else ""

        def text(prop: URIRef) -> str:
            return str(self.value(node, prop) or "")

        year = text(SDMX_DIMENSION.refPeriod).rsplit("/", 1)[-1]
        of = f"{named(PLANLOD.activity)} (FY{year})".lstrip()
        if PLANLOD.Evaluation in kinds:
            return f"評価 Evaluation: {of}"
        if PLANLOD.ReferenceActual in kinds:
            return f"(参考)実績 Reference actual: {of}"
        if PLANLOD.DeclaredCount in kinds:
            return (f"公表された件数 Declared count: {text(PLANLOD.summaryTable)} · {named(PLANLOD.scope)} · "
                    f"{named(PLANLOD.resultCategory)} = {text(PLANLOD.count)}")
        if PLANLOD.Correction in kinds:
            return f"訂正 Correction: 行 line {text(PLANLOD.sourceLine)}"
        if SDO.QuantitativeValue in kinds:
            amount = next((text(p) for p in (SDO.value, SDO.minValue, SDO.maxValue) if text(p)), "")
            return f"数量 Quantity: {amount} {text(SDO.unitText)}".rstrip()
        if TIME.Instant in kinds:
            return f"時点 Instant: {text(TIME.inXSDDate)}"
        if DCTERMS.PeriodOfTime in kinds:
            return f"期間 Period: {text(DCAT.startDate)} – {text(DCAT.endDate)}"
        if SH.ValidationResult in kinds:
            return f"検証結果 Validation result: {named(SH.focusNode)}"
        if SH.ValidationReport in kinds:
            return "検証報告 Validation report"
        if EARL.Assertion in kinds or EARL.TestResult in kinds:
            return f"適合の確認 Conformance check: {str(node).rsplit('/conformance/', 1)[-1]}"
        if SPDX.Checksum in kinds:
            return "SHA-256"
        for partition, word in ((VOID.property, "述語 property"), (VOID["class"], "クラス class")):
            if self.value(node, partition) is not None:  # a VoID partition
                return f"VoID {word}: {text(partition).rsplit('#', 1)[-1].rsplit('/', 1)[-1]}"
        return ""

    def value(self, node: Node | None, prop: URIRef) -> Node | None:
        if not isinstance(node, URIRef):
            return None
        for p, o in self.outgoing.get(node, ()):
            if p == prop:
                return o
        return None

    def values(self, node: Node | None, prop: URIRef) -> list[Node]:
        if not isinstance(node, URIRef):
            return []
        return [o for p, o in self.outgoing.get(node, ()) if p == prop]

    def is_a(self, node: URIRef, cls: URIRef) -> bool:
        return cls in self.types.get(node, set())

    def sort_key(self, node: URIRef) -> tuple[object, ...]:
        """Numbers in IRIs sort as numbers: project/10 after project/9."""
        parts: list[object] = []
        for segment in str(node).split("/"):
            parts.append((0, int(segment), "") if segment.isdigit() else (1, 0, segment))
        return tuple(parts)

    def ancestors(self, node: URIRef) -> list[URIRef]:
        chain: list[URIRef] = []
        current = self.value(node, SKOS.broader)
        while isinstance(current, URIRef) and current not in chain:
            chain.insert(0, current)
            current = self.value(current, SKOS.broader)
        scheme = self.value(chain[0] if chain else node, SKOS.inScheme)
        if isinstance(scheme, URIRef):
            chain.insert(0, scheme)
        return chain
