"""The report, its source, the run that derived it, corrections, and fiscal-year intervals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePath

from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, RDFS, TIME, XSD

from .. import __version__
from ..cells import fiscal_year_label
from ..vocab import PLANLOD
from .context import MappingContext
from .iris import literal
from .structure import Triple


def report_rule(ctx: MappingContext) -> Iterator[Triple]:
    meta, iris = ctx.table.metadata, ctx.iris
    report, source, run = iris.report(), iris.report("source"), iris.report("extraction")
    year = ctx.table.fiscal_year
    assert year is not None
    yield report, RDF.type, PLANLOD.ProgressReport
    yield report, RDF.type, PROV.Entity
    yield report, DCTERMS.title, literal(ctx.table.title or meta.document.title, lang="ja")
    if meta.document.title_en:
        yield report, DCTERMS.title, literal(meta.document.title_en, lang="en")
    yield report, PLANLOD.plan, iris.plan()
    yield report, PLANLOD.fiscalYear, iris.fiscal_year_iri(year)
    yield report, DCTERMS.publisher, iris.ward_office()
    if ctx.table.scope_note:
        yield report, DCTERMS.description, literal(ctx.table.scope_note, lang="ja")
    yield report, PROV.wasDerivedFrom, source
    yield report, PROV.wasGeneratedBy, run

    yield source, RDF.type, PROV.Entity
    yield source, DCTERMS.title, literal(PurePath(ctx.table.source_name).name)
    form = meta.document.form
    yield source, DCTERMS.description, literal(
        f"{form}; read as {ctx.table.encoding}" if form else f"read as {ctx.table.encoding}", lang="en")
    if ctx.table.sha256:
        yield source, PLANLOD.sha256, literal(ctx.table.sha256, datatype=XSD.hexBinary)

    software = iris.software()
    yield run, RDF.type, PROV.Activity
    yield run, RDFS.label, literal(f"planlod {__version__} extraction", lang="en")
    yield run, PROV.used, source
    yield run, PROV.wasAssociatedWith, software
    yield software, RDF.type, PROV.SoftwareAgent
    yield software, RDFS.label, literal(f"planlod {__version__}")

    for n, c in enumerate(ctx.table.corrections, 1):
        node = iris.report("correction", n)
        yield report, PLANLOD.correction, node
        yield node, RDF.type, PLANLOD.Correction
        yield node, PLANLOD.sourceLine, literal(c.line, datatype=XSD.positiveInteger)
        if c.cell is not None:
            yield node, PLANLOD.sourceCell, literal(c.cell, datatype=XSD.positiveInteger)
        yield node, PLANLOD.originalText, literal(c.original)
        yield node, PLANLOD.correctedText, literal(c.corrected)
        yield node, RDFS.comment, literal(c.reason)
        yield node, PROV.wasDerivedFrom, source


def fiscal_year_rule(ctx: MappingContext) -> Iterator[Triple]:
    years = {a.fiscal_year for a in ctx.table.activities}
    years |= {a.previous_fiscal_year for a in ctx.table.activities if a.previous_fiscal_year is not None}
    if ctx.table.fiscal_year is not None:
        years.add(ctx.table.fiscal_year)
    for year in sorted(years):
        node = ctx.iris.fiscal_year_iri(year)
        start, end = f"{year}-04-01", f"{year + 1}-03-31"
        yield node, RDF.type, PLANLOD.FiscalYear
        yield node, RDF.type, TIME.ProperInterval
        yield node, RDF.type, DCTERMS.PeriodOfTime
        yield node, RDFS.label, literal(fiscal_year_label(year), lang="ja")
        yield node, RDFS.label, literal(f"FY{year}", lang="en")
        yield node, DCAT.startDate, literal(start, datatype=XSD.date)
        yield node, DCAT.endDate, literal(end, datatype=XSD.date)
        for prop, iso in ((TIME.hasBeginning, start), (TIME.hasEnd, end)):
            instant = ctx.iris.date(iso)
            yield node, prop, instant
            yield instant, RDF.type, TIME.Instant
            yield instant, TIME.inXSDDate, literal(iso, datatype=XSD.date)
