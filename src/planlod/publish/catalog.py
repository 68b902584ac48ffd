"""The DCAT 3 / DCAT-AP 3.0.1 catalog: what portals (CKAN ckanext-dcat, data.europa.eu) harvest.

Harvester facts it is shaped by (ckanext-dcat's RDF parser, the DCAT-AP 3.0.1 shapes): one node typed
dcat:Dataset; an English title and an ASCII dct:identifier beside the Japanese ones; keywords without '/', '、' or ':';
the licence on every distribution; format and media type IRIs labelled, licence and download IRIs not;
no blank nodes, so distributions keep their identity between harvests.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from ..collection import Report
from ..formats import CSV, DATASET_FORMATS, FORMATS, SPREADSHEET_CSV, TURTLE, RdfFormat
from ..vocab import DCATAP, SAC, SPDX
from .authorities import (
    EU,
    agent_with_contact,
    both_languages,
    contact_of,
    eu_code,
    japanese_language,
    licence_document,
)
from .context import PublishContext, WrittenFile
from .dumps import COLLECTION_ID, dump_name
from .harvest import harvest_title

IANA = "https://www.iana.org/assignments/media-types/"
# DCAT 3 terms that rdflib's DCAT namespace does not list yet.
DCAT3 = Namespace(str(DCAT))
DATASET_SERIES, IN_SERIES, FIRST, LAST, PREV = (DCAT3.DatasetSeries, DCAT3.inSeries, DCAT3.first, DCAT3.last,
                                                DCAT3.prev)
# DCAT-AP 3.0.1's code-list shape wants the checksum algorithm under https://spdx.org/rdf/terms.
SHA256 = URIRef("https://spdx.org/rdf/terms#checksumAlgorithm_sha256")
THEME_LABELS = {
    "GOVE": "Government and public sector",
    "SOCI": "Population and society",
    "REGI": "Regions and cities",
    "ECON": "Economy and finance",
}


def catalog_parts(ctx: PublishContext) -> Iterator[Graph]:
    """The catalog in parts, a small graph each: a plan's (its series, its editions' datasets), then the head."""
    yield from plan_parts(ctx)
    yield catalog_head(ctx)


def plan_parts(ctx: PublishContext) -> Iterator[Graph]:
    """A part per plan, in the order of their series: the series, each edition's dataset with its files, its
    publisher and the codes it points to, everything the DCAT-AP shapes read from them (a series' editions point
    to one another and it to them; nothing here points to another plan or to the head)."""
    series_of: dict[str, list[Report]] = {}
    for report in ctx.reports:
        series_of.setdefault(report.series_id, []).append(report)
    for series_id, editions in sorted(series_of.items()):
        # rdflib's SimpleMemory store: no named graphs to keep, so a third less time to add and read
        g = Graph(store="SimpleMemory")
        for report in editions:
            _report_dataset(g, ctx, report)
        _series(g, ctx, series_id, sorted(editions, key=lambda r: r.table.fiscal_year or 0))
        yield g


def catalog_head(ctx: PublishContext) -> Graph:
    """The catalog itself, the dataset of the whole collection, the validation results and the SPARQL service,
    which point to every report's dataset (described in the plans' parts)."""
    g = Graph(store="SimpleMemory")
    info = ctx.catalog_info
    catalog, service = ctx.iri("catalog"), ctx.iri("service", "sparql")
    publisher = agent_with_contact(g, ctx.iri("org", info.publisher.id), info.publisher.name, info.publisher.name_en,
                                   info.publisher.homepage)
    g.add((catalog, RDF.type, DCAT.Catalog))
    both_languages(g, catalog, DCTERMS.title, info.catalog.title, info.catalog.title_en)
    both_languages(g, catalog, DCTERMS.description,
                   info.catalog.description or "自治体の計画の進行管理表を Linked Open Data として公開するカタログ。",
                   info.catalog.description_en
                   or "A catalog of municipal plan progress reports published as Linked Open Data.")
    g.add((catalog, DCTERMS.publisher, publisher))
    home = ctx.url("index.html")
    g.add((catalog, FOAF.homepage, home))
    g.add((home, RDF.type, FOAF.Document))
    g.add((catalog, DCTERMS.language, japanese_language(g)))
    g.add((catalog, DCAT.themeTaxonomy, _theme_scheme(g)))
    g.add((catalog, DCAT.service, service))
    licences = {r.table.metadata.licence.url for r in ctx.reports}
    if len(licences) == 1 and "" not in licences:
        g.add((catalog, DCTERMS.license, licence_document(g, licences.pop())))
    for report in ctx.reports:
        if report.table.metadata.publisher.ward_sac:
            g.add((catalog, DCTERMS.spatial, _spatial(g, report)))
    issued, modified = _catalog_dates(ctx)
    if issued is not None and modified is not None:
        g.add((catalog, DCTERMS.issued, issued))
        g.add((catalog, DCTERMS.modified, modified))
    datasets = [report.dataset_iri for report in ctx.reports]
    for dataset in datasets:
        g.add((catalog, DCAT.dataset, dataset))
    collection = _collection_dataset(g, ctx, publisher, issued)
    g.add((catalog, DCAT.dataset, collection))
    g.add((catalog, DCAT.dataset, _validation_dataset(g, ctx, publisher, collection, issued)))
    _service(g, ctx, service, publisher, [*datasets, collection])
    return g


VALIDATION_ID = "validation"
# The validation results: planlod's SHACL report and the conformance report (EARL), as written.
VALIDATION_FILES = (("validation-report.ttl", "shacl", "SHACL 検証報告", "SHACL validation report"),
                    ("conformance-report.ttl", "earl", "標準への適合(EARL)", "Conformance to the standards (EARL)"))


def _validation_dataset(g: Graph, ctx: PublishContext, publisher: URIRef, collection: URIRef,
                        issued: Literal | None) -> URIRef:
    dataset = ctx.iri("dataset", VALIDATION_ID)
    g.add((dataset, RDF.type, DCAT.Dataset))
    both_languages(g, dataset, DCTERMS.title, "検証結果", "Validation results of the collection")
    if ctx.pages:
        both_languages(g, dataset, DCTERMS.description,
                       "このカタログのデータの検証結果: planlod の SHACL シェイプによる検証報告と、Data Cube・SKOS・"
                       "CSVW・JSON-LD などの標準の規則への適合報告。",
                       "How the catalog's data was checked: the SHACL validation report (planlod's shapes) and the "
                       "conformance report for the standards' own rules (Data Cube, SKOS, CSVW, JSON-LD).")
    else:   # a large site: its files' CSVW and JSON-LD are not checked (conformance_report.LARGE_INTRO)
        both_languages(g, dataset, DCTERMS.description,
                       "このカタログのデータの検証結果: planlod の SHACL シェイプによる検証報告と、報告ごとに確かめた"
                       "Data Cube・SKOS・語彙の規則への適合報告。",
                       "How the catalog's data was checked: the SHACL validation report (planlod's shapes) and the "
                       "conformance report for the standards' own rules (Data Cube, SKOS, the vocabulary), each "
                       "report checked.")
    g.add((dataset, DCTERMS.identifier, Literal(VALIDATION_ID)))
    g.add((dataset, DCTERMS.publisher, publisher))
    g.add((dataset, DCAT.contactPoint, contact_of(publisher)))
    g.add((dataset, PROV.wasDerivedFrom, collection))
    g.add((dataset, DCTERMS.language, japanese_language(g)))
    # What the checked data covers: its places, its fiscal years, and what it is about.
    for keyword, lang in (("検証結果", "ja"), ("validation", "en"), ("SHACL", "en"), ("EARL", "en")):
        g.add((dataset, DCAT.keyword, Literal(keyword, lang=lang)))
    g.add((dataset, DCAT.theme, _theme(g, "GOVE")))
    for report in ctx.reports:
        if report.table.metadata.publisher.ward_sac:
            g.add((dataset, DCTERMS.spatial, _spatial(g, report)))
    for period in g.objects(collection, DCTERMS.temporal):
        g.add((dataset, DCTERMS.temporal, period))
    if issued is not None:
        g.add((dataset, DCTERMS.issued, issued))
    licences = {r.table.metadata.licence.url for r in ctx.reports}
    licence = licence_document(g, licences.pop()) if len(licences) == 1 and "" not in licences else None
    for name, key, ja, en in VALIDATION_FILES:
        written = ctx.files.get(name)
        if written is not None:
            _distribution(g, ctx, dataset, written, TURTLE, (ja, en), licence, issued, key, (ja, en))
    return dataset


def _theme(g: Graph, code: str) -> URIRef:
    """A data theme, with its scheme described wherever a theme is (a part is checked with what it describes)."""
    _theme_scheme(g)
    return eu_code(g, "data-theme", code, THEME_LABELS.get(code, code))


def _theme_scheme(g: Graph) -> URIRef:
    scheme = URIRef(EU + "data-theme")
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, DCTERMS.title, Literal("Data theme", lang="en")))
    return scheme


def _spatial(g: Graph, report: Report) -> URIRef:
    pub = report.table.metadata.publisher
    spatial = SAC[pub.ward_sac]
    g.add((spatial, RDF.type, DCTERMS.Location))
    g.add((spatial, SKOS.prefLabel, Literal(pub.ward_name or pub.city_name, lang="ja")))
    return spatial


def _date(text: str) -> Literal | None:
    return Literal(text, datatype=XSD.date) if text else None


def _catalog_dates(ctx: PublishContext) -> tuple[Literal | None, Literal | None]:
    info = ctx.catalog_info.catalog
    issued = info.issued or min((r.table.metadata.publication.issued for r in ctx.reports
                                 if r.table.metadata.publication.issued), default="")
    modified = info.modified or max((r.table.metadata.publication.modified or r.table.metadata.publication.issued
                                     for r in ctx.reports if r.table.metadata.publication.issued), default="")
    return _date(issued), _date(modified or issued)


def _report_dataset(g: Graph, ctx: PublishContext, report: Report) -> URIRef:
    meta, iris, table = report.table.metadata, report.iris, report.table
    pub = meta.publication
    dataset = report.dataset_iri
    publisher = agent_with_contact(g, iris.ward_office(), meta.publisher.office_name, meta.publisher.office_name_en,
                                   meta.publisher.homepage)
    title_ja = table.title or meta.document.title
    # each edition says its own year; a title CKAN would cut is replaced by a shorter one (harvest.py)
    title_en = harvest_title([meta.document.title_en, f"{meta.plan.full_title_en or meta.plan.id} progress report",
                              f"{meta.publisher.office_name_en} progress report", report.dataset_id],
                             table.fiscal_year)
    g.add((dataset, RDF.type, DCAT.Dataset))
    both_languages(g, dataset, DCTERMS.title, title_ja, title_en)
    both_languages(g, dataset, DCTERMS.description, pub.description or title_ja, pub.description_en or title_en)
    g.add((dataset, DCTERMS.identifier, Literal(report.dataset_id)))
    g.add((dataset, DCTERMS.publisher, publisher))
    g.add((dataset, DCAT.contactPoint, contact_of(publisher)))
    fiscal_year = iris.fiscal_year_iri(table.fiscal_year or 0)
    g.add((fiscal_year, RDF.type, DCTERMS.PeriodOfTime))
    for prop in (DCAT.startDate, DCAT.endDate, RDFS.label):
        for value in report.graph.objects(fiscal_year, prop):
            g.add((fiscal_year, prop, value))
    g.add((dataset, DCTERMS.temporal, fiscal_year))
    g.add((dataset, DCTERMS.language, japanese_language(g)))
    if meta.publisher.ward_sac:
        g.add((dataset, DCTERMS.spatial, _spatial(g, report)))
    for keyword in pub.keywords:
        g.add((dataset, DCAT.keyword, Literal(keyword, lang="ja")))
    for keyword in pub.keywords_en:
        g.add((dataset, DCAT.keyword, Literal(keyword, lang="en")))
    for code in pub.themes:
        g.add((dataset, DCAT.theme, _theme(g, code)))
    annual = eu_code(g, "frequency", "ANNUAL", "annual")
    g.add((annual, RDF.type, DCTERMS.Frequency))
    g.add((dataset, DCTERMS.accrualPeriodicity, annual))
    public = eu_code(g, "access-right", "PUBLIC", "public")
    g.add((public, RDF.type, DCTERMS.RightsStatement))
    g.add((dataset, DCTERMS.accessRights, public))
    if ctx.pages:
        landing = ctx.url(report_page(report))
        g.add((dataset, DCAT.landingPage, landing))
        g.add((landing, RDF.type, FOAF.Document))
    provenance = URIRef(f"{dataset}/provenance")
    g.add((dataset, DCTERMS.provenance, provenance))
    g.add((provenance, RDF.type, DCTERMS.ProvenanceStatement))
    form = "PDF から抽出したテキスト" if table.source_name.endswith(".txt") else "記録 CSV"
    form_en = "the text extracted from the published PDF" if table.source_name.endswith(".txt") else "a records CSV"
    both_languages(g, provenance, RDFS.label,
                   f"{title_ja} の{form}を planlod で読み取り、訂正 {len(table.corrections)} 件を適用して作成。",
                   f"Read by planlod from {form_en}, with {len(table.corrections)} documented corrections; the "
                   "declared tallies are checked against the rows.")
    g.add((dataset, PROV.wasDerivedFrom, iris.report("source")))
    g.add((dataset, IN_SERIES, ctx.iri("dataset-series", report.series_id)))
    issued = _date(pub.issued)
    if issued is not None:
        g.add((dataset, DCTERMS.issued, issued))
        g.add((dataset, DCTERMS.modified, _date(pub.modified) or issued))
    licence = licence_document(g, meta.licence.url) if meta.licence.url else None
    for rdf_format in (*FORMATS, CSV, SPREADSHEET_CSV):
        written = ctx.files.get(dump_name(report.dataset_id, rdf_format.suffix))
        if written is not None:
            _distribution(g, ctx, dataset, written, rdf_format, (title_ja, title_en), licence, issued)
    return dataset


def _series(g: Graph, ctx: PublishContext, series_id: str, editions: list[Report]) -> None:
    """The yearly editions of one plan, first to last, each pointing to the one before (DCAT 3)."""
    series = ctx.iri("dataset-series", series_id)
    meta = editions[-1].table.metadata
    publisher = editions[-1].iris.ward_office()
    plan_title, plan_title_en = meta.plan.full_title or meta.plan.id, meta.plan.full_title_en or meta.plan.id
    g.add((series, RDF.type, DATASET_SERIES))
    both_languages(g, series, DCTERMS.title, f"{plan_title} 進行管理表", f"{plan_title_en}: progress reports")
    both_languages(g, series, DCTERMS.description, meta.publication.series_description or plan_title,
                   meta.publication.series_description_en or plan_title_en)
    g.add((series, DCTERMS.publisher, publisher))
    g.add((series, DCAT.contactPoint, contact_of(publisher)))
    annual = eu_code(g, "frequency", "ANNUAL", "annual")
    g.add((series, DCTERMS.accrualPeriodicity, annual))
    g.add((series, FIRST, editions[0].dataset_iri))
    g.add((series, LAST, editions[-1].dataset_iri))
    for earlier, later in zip(editions, editions[1:], strict=False):
        g.add((later.dataset_iri, PREV, earlier.dataset_iri))


def _collection_dataset(g: Graph, ctx: PublishContext, publisher: URIRef, issued: Literal | None) -> URIRef:
    """Every report in one download, each in its own named graph (the dataset's IRI)."""
    dataset = ctx.iri("dataset", COLLECTION_ID)
    title = (f"{ctx.catalog_info.catalog.title}:全報告", f"{ctx.catalog_info.catalog.title_en}: all reports")
    g.add((dataset, RDF.type, DCAT.Dataset))
    both_languages(g, dataset, DCTERMS.title, *title)
    both_languages(g, dataset, DCTERMS.description,
                   f"このカタログの {len(ctx.reports)} 件の報告をまとめたもの。"
                   "各報告はその IRI の名前付きグラフに入っています。",
                   f"The {len(ctx.reports)} reports of this catalog together, each in the named graph of its "
                   "dataset IRI.")
    g.add((dataset, DCTERMS.identifier, Literal(COLLECTION_ID)))
    g.add((dataset, DCTERMS.publisher, publisher))
    g.add((dataset, DCAT.contactPoint, contact_of(publisher)))
    for report in ctx.reports:
        g.add((dataset, DCTERMS.hasPart, report.dataset_iri))
        meta = report.table.metadata
        for keyword in meta.publication.keywords:
            g.add((dataset, DCAT.keyword, Literal(keyword, lang="ja")))
        for keyword in meta.publication.keywords_en:
            g.add((dataset, DCAT.keyword, Literal(keyword, lang="en")))
        for code in meta.publication.themes:
            g.add((dataset, DCAT.theme, _theme(g, code)))
        if meta.publisher.ward_sac:
            g.add((dataset, DCTERMS.spatial, _spatial(g, report)))
    years = sorted(r.table.fiscal_year for r in ctx.reports if r.table.fiscal_year)
    if years:  # the fiscal years the reports cover, first to last
        period = ctx.iri("period", f"fy{years[0]}-fy{years[-1]}")
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.startDate, Literal(f"{years[0]}-04-01", datatype=XSD.date)))
        g.add((period, DCAT.endDate, Literal(f"{years[-1] + 1}-03-31", datatype=XSD.date)))
        g.add((dataset, DCTERMS.temporal, period))
    g.add((dataset, DCTERMS.language, japanese_language(g)))
    licences = {r.table.metadata.licence.url for r in ctx.reports}
    licence = licence_document(g, licences.pop()) if len(licences) == 1 and "" not in licences else None
    if issued is not None:
        g.add((dataset, DCTERMS.issued, issued))
    for rdf_format in DATASET_FORMATS:
        written = ctx.files.get(dump_name(COLLECTION_ID, rdf_format.suffix))
        if written is not None:
            _distribution(g, ctx, dataset, written, rdf_format, title, licence, issued)
    return dataset


def _distribution(g: Graph, ctx: PublishContext, dataset: URIRef, written: WrittenFile, rdf_format: RdfFormat,
                  title: tuple[str, str], licence: URIRef | None, issued: Literal | None, key: str = "",
                  description: tuple[str, str] | None = None) -> None:
    code, label = rdf_format.eu_file_type, rdf_format.label
    dist = URIRef(f"{dataset}/distribution/{key or rdf_format.key}")
    download = ctx.url(written.path)
    g.add((dataset, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    both_languages(g, dist, DCTERMS.title, f"{title[0]}({label})", f"{title[1]} ({label})")
    both_languages(g, dist, DCTERMS.description,
                   *(description or (f"{label} 形式のデータ全体", f"The whole data as {label}")))
    g.add((dist, DCAT.accessURL, download))
    g.add((dist, DCAT.downloadURL, download))
    media = URIRef(IANA + rdf_format.media_type)
    g.add((dist, DCAT.mediaType, media))
    g.add((media, RDF.type, DCTERMS.MediaType))
    g.add((media, RDFS.label, Literal(rdf_format.media_type)))
    file_type = eu_code(g, "file-type", code, label)
    g.add((file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
    g.add((file_type, RDFS.label, Literal(label)))
    g.add((dist, DCTERMS.format, file_type))
    if licence is not None:
        g.add((dist, DCTERMS.license, licence))
    g.add((dist, DCAT.byteSize, Literal(written.byte_size, datatype=XSD.nonNegativeInteger)))
    checksum = URIRef(f"{dist}/checksum")
    g.add((dist, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SHA256))
    g.add((SHA256, RDF.type, SPDX.ChecksumAlgorithm))
    g.add((checksum, SPDX.checksumValue, Literal(written.sha256, datatype=XSD.hexBinary)))
    g.add((dist, DCATAP.availability, eu_code(g, "planned-availability", "STABLE", "stable")))
    if issued is not None:
        g.add((dist, DCTERMS.issued, issued))


def _service(g: Graph, ctx: PublishContext, service: URIRef, publisher: URIRef, datasets: list[URIRef]) -> None:
    """The SPARQL endpoint of `planlod serve`."""
    endpoint = ctx.url("sparql")
    g.add((service, RDF.type, DCAT.DataService))
    both_languages(g, service, DCTERMS.title, "SPARQL エンドポイント", "SPARQL endpoint")
    both_languages(g, service, DCTERMS.description,
                   "planlod serve が提供する SPARQL 1.1 エンドポイント(読み取り専用)。",
                   "The read-only SPARQL 1.1 endpoint served by `planlod serve`.")
    g.add((service, DCAT.endpointURL, endpoint))
    g.add((service, DCAT.endpointDescription, endpoint))
    for dataset in datasets:
        g.add((service, DCAT.servesDataset, dataset))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((URIRef("https://www.w3.org/TR/sparql11-protocol/"), RDF.type, DCTERMS.Standard))
    g.add((service, DCTERMS.publisher, publisher))
    g.add((service, DCAT.contactPoint, contact_of(publisher)))
    for keyword in ("SPARQL", "Linked Open Data"):
        g.add((service, DCAT.keyword, Literal(keyword, lang="en")))
    themes = sorted({code for r in ctx.reports for code in r.table.metadata.publication.themes})
    for code in themes:
        g.add((service, DCAT.theme, _theme(g, code)))
    licences = {r.table.metadata.licence.url for r in ctx.reports}
    if len(licences) == 1 and "" not in licences:
        g.add((service, DCTERMS.license, licence_document(g, licences.pop())))


def report_page(report: Report) -> str:
    """Where a report's own page lives in the site."""
    return report_page_path(report.dataset_id)


def report_page_path(dataset_id: str) -> str:
    return f"reports/{dataset_id}/index.html"
