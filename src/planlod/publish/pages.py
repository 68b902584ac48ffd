"""The site's own pages: index (tallies and charts), data, queries, vocabulary and shapes."""

from __future__ import annotations

from typing import Any

from rdflib.term import Node

from ..cells import fiscal_year_label
from ..formats import CSV, JSON_LD, N_TRIPLES, TURTLE, format_of
from ..queries import example_queries, oxigraph_store, run_query
from ..tallies import met_rate, rate_text, report_counts
from .catalog import report_page
from .context import WrittenFile
from .dumps import COLLECTION_ID, dump_name
from .figures import SEVERITY_WORDS
from .render import Renderer, rel, safe_href


def write_index(renderer: Renderer) -> None:
    """The collection: every report with its counts on the shared pivot, and the collection's downloads.
    A large site (no report pages) links each report's resource page, which `planlod serve` renders."""
    ctx = renderer.ctx
    page, rows = "index.html", []
    for report in sorted(ctx.reports, key=lambda r: (r.series_id, r.table.fiscal_year or 0)):
        table = report.table
        counts = ctx.report_counts.get(report.dataset_id) or report_counts(table)
        rows.append({
            "publisher": table.metadata.publisher.office_name, "plan": table.metadata.plan.full_title,
            "plan_href": rel(page, ctx.doc_path(str(report.iris.plan())) or ""),
            "href": report_page(report) if ctx.pages else rel(page, ctx.doc_path(str(report.iris.report())) or ""),
            "year": f"{fiscal_year_label(table.fiscal_year or 0)} FY{table.fiscal_year}",
            "total": counts.evaluations, "met": counts.met, "not_met": counts.not_met,
            "rate": rate_text(met_rate(counts.met, counts.not_met)),
            "verdict": tally_verdict(counts.declared, counts.differing),
            # a large site: the report's files, which a static host serves without `planlod serve`
            "data": [{"href": rel(page, name), "media_type": ctx.files[name].media_type, "label": label}
                     for label, name in (("CSV", dump_name(report.dataset_id, CSV.suffix)),
                                         ("N-Triples", dump_name(report.dataset_id, N_TRIPLES.suffix)))
                     if name in ctx.files],
        })
    downloads = [download(f) for name, f in sorted(ctx.files.items()) if name.startswith(f"data/{COLLECTION_ID}.")]
    info = ctx.catalog_info.catalog
    renderer.page(
        page, "index.html", title=info.title, title_en=info.title_en, description=info.description,
        reports=rows, downloads=downloads, pages=ctx.pages,
        # A large collection's catalog is megabytes: linked below, not embedded.
        jsonld=renderer.embedded(ctx.catalog) if ctx.catalog is not None and ctx.pages else "",
        alternates=[
            {"media_type": TURTLE.media_type, "href": "catalog.ttl"},
            {"media_type": JSON_LD.media_type, "href": "catalog.jsonld"},
        ],
    )


def tally_verdict(declared: int, differing: int) -> str:
    if not declared:
        return "公表された集計なし no declared tallies"
    if not differing:
        return f"{declared} 件すべて一致 all {declared} reproduced"
    return f"{differing} 件が不一致 {differing} differ"


MAX_ISSUES_SHOWN = 2_000   # validation results listed on the data page (a national collection has many warnings)


# What each download is for, by its format's name in the format table.
PURPOSES = {
    "turtle": "RDF、読みやすい形式 / RDF, readable",
    "json-ld": "RDF、ウェブアプリ向け / RDF for web applications",
    "nt": "RDF、1行に1トリプル(一括読み込み向け) / RDF, one triple a line (bulk loading)",
    "nquads": "全報告、報告ごとの名前付きグラフ(一括読み込み向け) / every report in its named graph (bulk loading)",
    "trig": "全報告、報告ごとの名前付きグラフ(読みやすい形式) / every report in its named graph, readable",
    "csv": "記録 CSV(入力の雛形と同じ列、1行に1評価) / "
           "records CSV (the input template's columns, a row per evaluation)",
    "spreadsheet-csv": "表計算ソフト向け CSV(日本語の見出し、BOM 付き UTF-8) / "
                       "CSV for Excel (Japanese headers, UTF-8 with BOM)",
    "csvw": "記録 CSV の説明(CSV on the Web) / the records CSV described (CSV on the Web)",
}


def human_size(size: int) -> str:
    """1,234,567 -> '1.2 MB' (SI units, as file managers show them)."""
    if size < 1000:
        return f"{size} bytes"
    value = float(size)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1000
        if value < 1000 or unit == "TB":
            break
    return f"{value:.1f} {unit}"


def download(f: WrittenFile) -> dict[str, Any]:
    """A download as a reader sees it: format name, purpose, size in kB / MB, checksum."""
    found = format_of(f.path)
    return {"label": f"{found.label if found else f.media_type}: {f.path.rsplit('/', 1)[-1]}", "href": f.path,
            "purpose": PURPOSES.get(found.name, "") if found else "", "size": human_size(f.byte_size),
            "sha256": f.sha256}


def link_cell(text: object, href: str | None = None, anchor: str | None = None, *, en: str = "",
              lang: str = "") -> dict[str, Any]:
    """A table cell: its text, an optional link, an optional id (where a hash IRI lands), the same in English
    beside it (`en`), and the language of the text where it is not Japanese (`lang`)."""
    return {"text": "" if text is None else str(text), "href": safe_href(href), "id": anchor or "", "en": en,
            "lang": lang}


LICENCE_CONFIRMED = {True: "発行者が確認済み Confirmed by the publisher",
                     False: "未確認:知られている限りのライセンス Not confirmed: the licence as far as known"}


def write_data_page(renderer: Renderer) -> None:
    ctx = renderer.ctx
    files = [
        [link_cell(f.path, f.path), link_cell(f.media_type), link_cell(f.byte_size), link_cell(f.sha256)]
        for name, f in sorted(ctx.files.items())
        if name.startswith("data/")
    ]
    issues = [
        [link_cell(SEVERITY_WORDS.get(i.severity, i.severity)), link_cell(i.shape, lang="en"),
         link_cell(i.focus_label or i.focus),
         link_cell(i.message_ja or i.message, en=i.message if i.message != i.message_ja else "")]
        for i in ctx.outcome.issues[:MAX_ISSUES_SHOWN]
    ]
    shown = "" if len(issues) == len(ctx.outcome.issues) else \
        f" 最初の {len(issues):,} 件を表示 the first {len(issues):,} shown; 全件 all in validation-report.ttl."
    sections: list[dict[str, Any]] = []
    for report in ctx.reports:
        table, licence = report.table, report.table.metadata.licence
        sections.append({
            "heading": f"{table.title}",
            "text": f"出典 Source: {table.metadata.document.form or '記録 CSV records CSV'}; 文字コード read as "
                    f"{table.encoding}; sha256 {table.sha256}.",
            "header": ["ライセンス Licence", "注記 Note"],
            "rows": [[link_cell(licence.spdx or "不明 unknown", licence.url or None),
                      link_cell(LICENCE_CONFIRMED[licence.confirmed], en=licence.note)]],
        })
        if table.corrections:
            sections.append({
                "heading": f"訂正 Corrections: {table.title}",
                "text": "出典テキストを読むときに適用した訂正。出典そのものは変更していません。 "
                        "Corrections applied while reading the source text; the source itself is unchanged.",
                "header": ["行 line", "セル cell", "訂正前 original", "訂正後 corrected", "理由 reason"],
                "rows": [[link_cell(c.line), link_cell(c.cell or ""), link_cell(c.original), link_cell(c.corrected),
                          link_cell(c.reason, lang="en")] for c in table.corrections],
            })
    sections += [
        {"heading": "ファイル Files", "header": ["ファイル file", "形式 media type", "大きさ bytes", "sha256"],
         "rows": files},
        {
            "heading": "カタログ Catalog",
            "rows": [
                [link_cell("DCAT (Turtle)", "catalog.ttl")],
                [link_cell("DCAT (JSON-LD)", "catalog.jsonld")],
                [link_cell("VoID", "void.ttl")],
            ],
        },
        {
            "id": "validation",
            "heading": "検証 Validation (SHACL)",
            "text": ("適合 Conforms" if ctx.outcome.conforms else "不適合 Does not conform")
            + f" — 指摘 {len(ctx.outcome.issues)} 件 result(s). 報告 Report graph: validation-report.ttl" + shown,
            "header": ["重大度 severity", "シェイプ shape", "対象 focus", "内容 message"],
            "rows": issues,
        },
        *([] if not ctx.pages and "conformance-report.ttl" not in ctx.files else [{
            "id": "conformance",
            "heading": "標準への適合 Conformance to the standards",
            "text": "Data Cube・SKOS・語彙・CSVW・JSON-LD の規則をビルドごとに確認。"
                    " The rules of Data Cube, SKOS, the vocabulary, CSVW and JSON-LD, checked on every build."
                    if ctx.pages else
                    "Data Cube・SKOS・語彙の規則を、報告ごとにビルドのたびに確認。"
                    " The rules of Data Cube, SKOS and the vocabulary, checked on every report at every build.",
            "rows": [[link_cell("conformance.html", "conformance.html")],
                     [link_cell("EARL (Turtle)", "conformance-report.ttl")]],
        }]),
    ]
    renderer.page(
        "data.html",
        "page.html",
        title="データ・出典・検証",
        title_en="Data, provenance and validation",
        sections=sections,
    )


def write_queries_page(renderer: Renderer, results: bool = True) -> None:
    """Each example query with its results; without them for a large collection (`results=False`: run over
    the whole data while the site is built, they would take minutes), where the editor runs them."""
    ctx, page = renderer.ctx, "queries/index.html"
    store = oxigraph_store(*(ctx.out / name for name in ctx.files if name.startswith("data/") and name.endswith(".nt"))
                           ) if results else None
    sections = []
    for query in example_queries():
        names, rows = run_query(store, query) if store is not None else ([], [])
        cells = [[renderer.value(page, v) if isinstance(v, Node) else link_cell("") for v in row] for row in rows]
        sections.append(
            {
                "id": query.name,
                "heading": query.name,
                "text": query.purpose if store is not None else
                f"{query.purpose} 結果は「実行」で。 Its results: Run it (too large a collection to show them here).",
                "links": [{"text": "実行 Run", "href": f"../sparql-editor/index.html?example={query.name}"},
                          {"text": f"{query.name}.rq", "href": f"{query.name}.rq"}],
                "code": query.text,
                "header": names,
                "rows": cells or ([[link_cell("(no rows)")]] if store is not None else []),
            }
        )
    renderer.page(
        page,
        "page.html",
        title="SPARQL の例",
        title_en="Example SPARQL queries",
        sections=sections,
        crumbs=[{"label": "ホーム Home", "href": "../index.html"}],
    )
