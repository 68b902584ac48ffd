"""Yearly evaluations, reference actuals and declared counts as RDF Data Cube observations."""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, QB, RDF, RDFS, SDO, SKOS, XSD

from ..cells import PLACEHOLDERS
from ..quantities import Quantity, parse_quantity
from ..vocab import PLANLOD, SDMX_DIMENSION
from .context import MappingContext
from .iris import ActivityKey, literal
from .structure import Triple

REF_PERIOD = SDMX_DIMENSION.refPeriod   # a plain Namespace makes a new URIRef at each access (~1 µs)


def _dataset(ctx: MappingContext, name: str, structure: URIRef, ja: str, en: str) -> Iterator[Triple]:
    dataset = ctx.iris.report(name)
    yield dataset, RDF.type, QB.DataSet
    yield dataset, QB.structure, structure
    yield dataset, RDFS.label, literal(ja, lang="ja")
    yield dataset, RDFS.label, literal(en, lang="en")
    yield dataset, URIRef("http://purl.org/dc/terms/isPartOf"), ctx.iris.report()


def _quantity(node: URIRef, quantity: Quantity) -> Iterator[Triple]:
    yield node, RDF.type, SDO.QuantitativeValue
    prop = {"min": SDO.minValue, "max": SDO.maxValue}.get(quantity.comparator or "", SDO.value)
    # The canonical xsd:decimal form ('4.0', not '4'), so every serialization reads back equal.
    lexical = format(quantity.value, "f")
    yield node, prop, literal(lexical if "." in lexical else lexical + ".0", datatype=XSD.decimal)
    if quantity.unit:
        yield node, SDO.unitText, literal(quantity.unit)
    if quantity.unit_code:
        yield node, SDO.unitCode, literal(quantity.unit_code)


def _observation(ctx: MappingContext, obs: URIRef, cls: URIRef, dataset: URIRef, key: ActivityKey,
                 year: int, source_line: int | None) -> Iterator[Triple]:
    """What every observation of an activity states: its kind, data set, dimensions and source."""
    yield obs, RDF.type, QB.Observation
    yield obs, RDF.type, cls
    yield obs, QB.dataSet, dataset
    yield obs, PLANLOD.activity, ctx.iris.activity(key)
    yield obs, REF_PERIOD, ctx.iris.fiscal_year_iri(year)
    if source_line:
        yield obs, PLANLOD.sourceLine, literal(source_line, datatype=XSD.positiveInteger)
    yield obs, PROV.wasDerivedFrom, ctx.iris.report("source")


def _text_and_number(obs: URIRef, text_prop: URIRef, value_prop: URIRef, name: str, text: str) -> Iterator[Triple]:
    """The printed text, and the number it holds (if exactly one) as a QuantitativeValue."""
    yield obs, text_prop, literal(text, lang="ja")
    quantity = parse_quantity(text)
    if quantity is not None:
        node = URIRef(f"{obs}/{name}")
        yield obs, value_prop, node
        yield from _quantity(node, quantity)


def evaluation_rule(ctx: MappingContext) -> Iterator[Triple]:
    year = ctx.table.fiscal_year
    yield from _dataset(ctx, "evaluations", PLANLOD.evaluationStructure,
                        f"事業内容の評価({year}年度)", f"Evaluations of activities, FY{year}")
    dataset = ctx.iris.report("evaluations")
    for a, key in zip(ctx.table.activities, ctx.keys, strict=True):
        obs = ctx.iris.report("evaluations", key.slug)
        yield from _observation(ctx, obs, PLANLOD.Evaluation, dataset, key, a.fiscal_year, a.source_line)
        yield obs, PLANLOD.result, ctx.result_iri(a.result)
        if a.target:
            yield from _text_and_number(obs, PLANLOD.target, PLANLOD.targetValue, "target", a.target)
        if a.actual:
            yield from _text_and_number(obs, PLANLOD.actual, PLANLOD.actualValue, "actual", a.actual)
        if a.direction and a.direction not in PLACEHOLDERS:
            yield obs, PLANLOD.issuesAndDirection, literal(a.direction, lang="ja")
        if a.priority is not None:
            yield obs, PLANLOD.priority, literal(a.priority)
        for assessment_id, word in a.assessments:
            yield obs, PLANLOD.assessment, ctx.assessment_iri(assessment_id, word)
        if a.source:
            yield obs, DCTERMS.source, URIRef(a.source)
        if a.note:
            yield obs, SKOS.editorialNote, literal(a.note)


def reference_rule(ctx: MappingContext) -> Iterator[Triple]:
    rows = [(a, k) for a, k in zip(ctx.table.activities, ctx.keys, strict=True)
            if a.previous_actual and a.previous_fiscal_year is not None]
    if not rows:
        return
    yield from _dataset(ctx, "references", PLANLOD.referenceStructure,
                        "参考実績(前年度)", "Reference actuals of the previous fiscal year")
    dataset = ctx.iris.report("references")
    for a, key in rows:
        assert a.previous_fiscal_year is not None
        obs = ctx.iris.report("references", key.slug)
        yield from _observation(ctx, obs, PLANLOD.ReferenceActual, dataset, key, a.previous_fiscal_year,
                                a.source_line)
        yield from _text_and_number(obs, PLANLOD.referenceActual, PLANLOD.actualValue, "actual", a.previous_actual)


def declared_rule(ctx: MappingContext) -> Iterator[Triple]:
    """The summary table as printed: its own dataset, never merged with what the rows give."""
    if not ctx.table.declared:
        return
    yield from _dataset(ctx, "declared", PLANLOD.declaredCountStructure,
                        "公表された集計", "Counts declared in the report's summary table")
    dataset, source = ctx.iris.report("declared"), ctx.iris.report("source")
    for d in ctx.table.declared:
        scope = ctx.iris.element(*d.scope)
        if d.assessment:
            category = ctx.assessment_iri(d.assessment, d.label)
            category_key = f"{d.assessment}-{str(category).rsplit('/', 1)[1]}"
        elif d.label in ctx.result_ids:
            category, category_key = ctx.result_iri(d.label), ctx.result_ids[d.label]
        else:
            category, category_key = PLANLOD.allResults, "total"
        if d.priority:
            category_key = "priority-" + category_key
        obs = ctx.iris.report("declared", d.table, "-".join(d.scope) or "all", category_key)
        yield obs, RDF.type, QB.Observation
        yield obs, RDF.type, PLANLOD.DeclaredCount
        yield obs, QB.dataSet, dataset
        yield obs, PLANLOD.summaryTable, literal(d.table)
        yield obs, PLANLOD.scope, scope
        yield obs, PLANLOD.resultCategory, category
        yield obs, PLANLOD.count, literal(d.count, datatype=XSD.nonNegativeInteger)
        yield obs, PLANLOD.printedLabel, literal(d.label, lang="ja")
        yield obs, PLANLOD.sourceLine, literal(d.source_line, datatype=XSD.positiveInteger)
        yield obs, PROV.wasDerivedFrom, source
        if not d.complete:
            yield obs, PLANLOD.complete, literal(False)
        yield obs, PLANLOD.priorityOnly, literal(d.priority)
        if d.source:
            yield obs, DCTERMS.source, URIRef(d.source)
