"""The DCAT 3 / DCAT-AP 3.0.1 catalog: what portals (CKAN ckanext-dcat, data.europa.eu) harvest.

Harvester facts it is shaped by (see ../shared/design §5–6): one node typed dcat:Dataset; an English
title and an ASCII dct:identifier beside the Japanese ones; keywords without '/', '、' or ':';
the licence on every distribution; format and media type IRIs labelled, licence and download IRIs not;
no blank nodes, so distributions keep their identity between harvests.
"""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from ..formats import FORMATS
from ..vocab import SAC, VCARD, bind_prefixes
from .context import PublishContext
from .dumps import dump_name

EU = "http://publications.europa.eu/resource/authority/"
SPDX = Namespace("http://spdx.org/rdf/terms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
ADMS_PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
ADMS_LICENCE_TYPE = "http://purl.org/adms/licencetype/"
IANA = "https://www.iana.org/assignments/media-types/"
# DCAT 3 terms that rdflib's DCAT namespace does not list yet.
DCAT3 = Namespace(str(DCAT))
DATASET_SERIES, IN_SERIES, FIRST, LAST = DCAT3.DatasetSeries, DCAT3.inSeries, DCAT3.first, DCAT3.last
# DCAT-AP 3.0.1's code-list shape wants the checksum algorithm under https://spdx.org/rdf/terms.
SHA256 = URIRef("https://spdx.org/rdf/terms#checksumAlgorithm_sha256")
# Our media types -> EU file-type code (format), for the labelled dct:format CKAN shows.
FILE_TYPES = {
    "text/turtle": ("RDF_TURTLE", "Turtle"),
    "application/ld+json": ("JSON_LD", "JSON-LD"),
    "application/n-triples": ("RDF_N_TRIPLES", "N-Triples"),
    "text/csv": ("CSV", "CSV"),
}
THEME_LABELS = {
    "GOVE": "Government and public sector",
    "SOCI": "Population and society",
    "REGI": "Regions and cities",
    "ECON": "Economy and finance",
}


def _code(graph: Graph, scheme: str, code: str, label: str) -> URIRef:
    """An EU authority code, with its scheme and label in the graph (the DCAT-AP MDR shapes check them)."""
    iri = URIRef(f"{EU}{scheme}/{code}")
    graph.add((iri, SKOS.inScheme, URIRef(EU + scheme)))
    graph.add((iri, SKOS.prefLabel, Literal(label, lang="en")))
    graph.add((iri, RDF.type, SKOS.Concept))
    return iri


def _both(graph: Graph, node: URIRef, prop: URIRef, ja: str, en: str) -> None:
    graph.add((node, prop, Literal(ja, lang="ja")))
    graph.add((node, prop, Literal(en, lang="en")))


def build_catalog(ctx: PublishContext) -> Graph:
    meta, iris = ctx.table.metadata, ctx.iris
    pub, publisher_meta, licence = meta.publication, meta.publisher, meta.licence
    g = bind_prefixes(Graph())
    g.bind("spdx", SPDX)
    g.bind("dcatap", DCATAP)
    catalog = iris.iri("catalog")
    dataset = iris.iri("dataset", ctx.dataset_id)
    series = iris.iri("dataset-series", pub.series_id or f"{iris.ward_code}-{iris.plan_id}")
    service = iris.iri("service", "sparql")
    publisher = iris.ward_office()
    contact = iris.iri("org", iris.ward_code, "contact")
    home = ctx.url("index.html")
    title_ja = ctx.table.title or meta.document.title
    title_en = meta.document.title_en or f"Progress report FY{ctx.table.fiscal_year}"

    # publisher and contact point
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, RDF.type, FOAF.Organization))
    _both(
        g,
        publisher,
        FOAF.name,
        publisher_meta.office_name,
        publisher_meta.office_name_en,
    )
    g.add((publisher, DCTERMS.type, _publisher_type(g)))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, RDF.type, VCARD.Kind))
    _both(
        g, contact, VCARD.fn, publisher_meta.office_name, publisher_meta.office_name_en
    )
    if publisher_meta.homepage:
        g.add((contact, VCARD.hasURL, URIRef(publisher_meta.homepage)))

    language = _code(g, "language", "JPN", "Japanese")
    g.add((language, RDF.type, DCTERMS.LinguisticSystem))
    spatial = SAC[publisher_meta.ward_sac] if publisher_meta.ward_sac else None
    if spatial is not None:
        g.add((spatial, RDF.type, DCTERMS.Location))
        g.add((spatial, SKOS.prefLabel, Literal(publisher_meta.ward_name, lang="ja")))
    licence_iri = URIRef(licence.url) if licence.url else None
    if licence_iri is not None:
        g.add((licence_iri, RDF.type, DCTERMS.LicenseDocument))
        attribution = URIRef(ADMS_LICENCE_TYPE + "Attribution")
        g.add((licence_iri, DCTERMS.type, attribution))
        g.add((attribution, SKOS.inScheme, URIRef(ADMS_LICENCE_TYPE + "1.0")))
        g.add((attribution, SKOS.prefLabel, Literal("Attribution", lang="en")))
        g.add((attribution, RDF.type, SKOS.Concept))
    themes = [_code(g, "data-theme", code, THEME_LABELS.get(code, code)) for code in pub.themes]
    theme_scheme = URIRef(EU + "data-theme")
    g.add((theme_scheme, RDF.type, SKOS.ConceptScheme))
    g.add((theme_scheme, DCTERMS.title, Literal("Data theme", lang="en")))
    fiscal_year = iris.fiscal_year_iri(ctx.table.fiscal_year or 0)
    g.add((fiscal_year, RDF.type, DCTERMS.PeriodOfTime))
    for prop in (DCAT.startDate, DCAT.endDate, RDFS.label):
        for value in ctx.graph.objects(fiscal_year, prop):
            g.add((fiscal_year, prop, value))
    issued = Literal(pub.issued, datatype=XSD.date) if pub.issued else None
    modified = Literal(pub.modified or pub.issued, datatype=XSD.date) if pub.issued else None

    # catalog
    g.add((catalog, RDF.type, DCAT.Catalog))
    _both(
        g,
        catalog,
        DCTERMS.title,
        f"{publisher_meta.office_name} 計画進行管理 Linked Open Data",
        f"{publisher_meta.office_name_en} plan progress Linked Open Data",
    )
    _both(
        g,
        catalog,
        DCTERMS.description,
        "自治体の計画の進行管理表を Linked Open Data として公開するカタログ。",
        "A catalog of municipal plan progress reports published as Linked Open Data.",
    )
    g.add((catalog, DCTERMS.publisher, publisher))
    g.add((catalog, FOAF.homepage, home))
    g.add((home, RDF.type, FOAF.Document))
    g.add((catalog, DCTERMS.language, language))
    g.add((catalog, DCAT.themeTaxonomy, theme_scheme))
    g.add((catalog, DCAT.dataset, dataset))
    g.add((catalog, DCAT.service, service))
    if licence_iri is not None:
        g.add((catalog, DCTERMS.license, licence_iri))
    if spatial is not None:
        g.add((catalog, DCTERMS.spatial, spatial))
    if issued is not None and modified is not None:
        g.add((catalog, DCTERMS.issued, issued))
        g.add((catalog, DCTERMS.modified, modified))

    # the dataset
    g.add((dataset, RDF.type, DCAT.Dataset))
    _both(g, dataset, DCTERMS.title, title_ja, title_en)
    _both(
        g, dataset, DCTERMS.description, pub.description or title_ja, pub.description_en or title_en
    )
    g.add((dataset, DCTERMS.identifier, Literal(ctx.dataset_id)))
    g.add((dataset, DCTERMS.publisher, publisher))
    g.add((dataset, DCAT.contactPoint, contact))
    g.add((dataset, DCTERMS.temporal, fiscal_year))
    g.add((dataset, DCTERMS.language, language))
    if spatial is not None:
        g.add((dataset, DCTERMS.spatial, spatial))
    for keyword in pub.keywords:
        g.add((dataset, DCAT.keyword, Literal(keyword, lang="ja")))
    for keyword in pub.keywords_en:
        g.add((dataset, DCAT.keyword, Literal(keyword, lang="en")))
    for theme in themes:
        g.add((dataset, DCAT.theme, theme))
    annual = _code(g, "frequency", "ANNUAL", "annual")
    g.add((annual, RDF.type, DCTERMS.Frequency))
    g.add((dataset, DCTERMS.accrualPeriodicity, annual))
    public = _code(g, "access-right", "PUBLIC", "public")
    g.add((public, RDF.type, DCTERMS.RightsStatement))
    g.add((dataset, DCTERMS.accessRights, public))
    landing = ctx.url("index.html")
    g.add((dataset, DCAT.landingPage, landing))
    provenance = URIRef(f"{dataset}/provenance")
    g.add((dataset, DCTERMS.provenance, provenance))
    g.add((provenance, RDF.type, DCTERMS.ProvenanceStatement))
    _both(
        g,
        provenance,
        RDFS.label,
        f"{title_ja} の PDF から抽出したテキストを planlod で読み取り、"
        f"訂正 {len(ctx.table.corrections)} 件を適用して作成。",
        f"Read by planlod from the text extracted from the published PDF, with {len(ctx.table.corrections)} "
        "documented corrections; the declared tallies are checked against the rows.",
    )
    g.add((dataset, PROV.wasDerivedFrom, iris.report("source")))
    g.add((dataset, IN_SERIES, series))
    if issued is not None and modified is not None:
        g.add((dataset, DCTERMS.issued, issued))
        g.add((dataset, DCTERMS.modified, modified))

    # the series of yearly editions
    g.add((series, RDF.type, DATASET_SERIES))
    plan_title, plan_title_en = meta.plan.full_title, meta.plan.full_title_en
    _both(g, series, DCTERMS.title, f"{plan_title} 進行管理表", f"{plan_title_en}: progress reports")
    _both(
        g,
        series,
        DCTERMS.description,
        pub.series_description or plan_title,
        pub.series_description_en or plan_title_en,
    )
    g.add((series, DCTERMS.publisher, publisher))
    g.add((series, DCAT.contactPoint, contact))
    g.add((series, DCTERMS.accrualPeriodicity, annual))
    g.add((series, FIRST, dataset))
    g.add((series, LAST, dataset))

    # distributions, one per file
    for media_type, (code, label) in FILE_TYPES.items():
        suffix = next((f.suffix for f in FORMATS if f.media_type == media_type), ".csv")
        written = ctx.files.get(dump_name(ctx, suffix))
        if written is None:
            continue
        dist = URIRef(f"{dataset}/distribution/{suffix.lstrip('.')}")
        download = ctx.url(written.path)
        g.add((dataset, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        _both(g, dist, DCTERMS.title, f"{title_ja}({label})", f"{title_en} ({label})")
        _both(g, dist, DCTERMS.description, f"{label} 形式のデータ全体", f"The whole data as {label}")
        g.add((dist, DCAT.accessURL, download))
        g.add((dist, DCAT.downloadURL, download))
        media = URIRef(IANA + media_type)
        g.add((dist, DCAT.mediaType, media))
        g.add((media, RDF.type, DCTERMS.MediaType))
        g.add((media, RDFS.label, Literal(media_type)))
        file_type = _code(g, "file-type", code, label)
        g.add((file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
        g.add((file_type, RDFS.label, Literal(label)))
        g.add((dist, DCTERMS.format, file_type))
        if licence_iri is not None:
            g.add((dist, DCTERMS.license, licence_iri))
        g.add((dist, DCAT.byteSize, Literal(written.byte_size, datatype=XSD.nonNegativeInteger)))
        checksum = URIRef(f"{dist}/checksum")
        g.add((dist, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SHA256))
        g.add((SHA256, RDF.type, SPDX.ChecksumAlgorithm))
        g.add((checksum, SPDX.checksumValue, Literal(written.sha256, datatype=XSD.hexBinary)))
        g.add((dist, DCATAP.availability, _code(g, "planned-availability", "STABLE", "stable")))
        if issued is not None:
            g.add((dist, DCTERMS.issued, issued))

    # the SPARQL endpoint of `planlod serve`
    endpoint = ctx.url("sparql")
    g.add((service, RDF.type, DCAT.DataService))
    _both(g, service, DCTERMS.title, "SPARQL エンドポイント", "SPARQL endpoint")
    _both(
        g,
        service,
        DCTERMS.description,
        "planlod serve が提供する SPARQL 1.1 エンドポイント(読み取り専用)。",
        "The read-only SPARQL 1.1 endpoint served by `planlod serve`.",
    )
    g.add((service, DCAT.endpointURL, endpoint))
    g.add((service, DCAT.endpointDescription, endpoint))
    g.add((service, DCAT.servesDataset, dataset))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((URIRef("https://www.w3.org/TR/sparql11-protocol/"), RDF.type, DCTERMS.Standard))
    g.add((service, DCTERMS.publisher, publisher))
    g.add((service, DCAT.contactPoint, contact))
    for keyword in ("SPARQL", "Linked Open Data"):
        g.add((service, DCAT.keyword, Literal(keyword, lang="en")))
    for theme in themes:
        g.add((service, DCAT.theme, theme))
    if licence_iri is not None:
        g.add((service, DCTERMS.license, licence_iri))
    return g


def _publisher_type(g: Graph) -> URIRef:
    local = URIRef(ADMS_PUBLISHER_TYPE + "LocalAuthority")
    g.add((local, SKOS.inScheme, URIRef(ADMS_PUBLISHER_TYPE + "1.0")))
    g.add((URIRef(ADMS_PUBLISHER_TYPE + "1.0"), RDF.type, SKOS.ConceptScheme))
    g.add((URIRef(ADMS_PUBLISHER_TYPE + "1.0"), DCTERMS.title, Literal("Publisher type", lang="en")))
    g.add((local, SKOS.prefLabel, Literal("Local Authority", lang="en")))
    g.add((local, RDF.type, SKOS.Concept))
    return local
