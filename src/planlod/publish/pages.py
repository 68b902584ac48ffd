"""The site's own pages: index (tallies and charts), data, queries, vocabulary and shapes."""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import Any

from rdflib.term import Node

from ..cells import fiscal_year_label
from ..collection import Report
from ..formats import CSV, JSON_LD, N_TRIPLES, TURTLE, format_of
from ..metadata import SourceMetadata
from ..queries import example_queries, oxigraph_store, run_query
from ..tallies import TallyLine, compare_tallies, met_rate, rate_text, report_counts
from .catalog import report_page
from .context import WrittenFile
from .dumps import COLLECTION_ID, dump_name
from .figures import SEVERITY_WORDS, Figures
from .render import Renderer, rel, safe_href


def _counts(counter: Counter[str], results: tuple[str, ...]) -> list[int]:
    return [counter[w] for w in results]


def bar_chart(rows: list[tuple[str, list[int]]], results: tuple[str, ...]) -> str:
    """Stacked horizontal bars as inline SVG: no script, no CDN, readable from a file."""
    colours = ["#2e7d32", "#e65100", "#1565c0", "#6a1b9a", "#9e9d24"]
    width, label_w, bar_h = 640, 80, 22
    most = max((sum(c) for _, c in rows), default=1) or 1
    out = [
        f'<svg class="chart" role="img" width="{width}" height="{len(rows) * (bar_h + 8) + 30}" '
        f'viewBox="0 0 {width} {len(rows) * (bar_h + 8) + 30}"><title>評価の内訳 results by goal</title>'
    ]
    for i, (label, counts) in enumerate(rows):
        y, x = i * (bar_h + 8), float(label_w)
        out.append(f'<text x="0" y="{y + 15}">{escape(label)}</text>')
        for j, n in enumerate(counts):
            w = n * (width - label_w - 60) / most
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colours[j % 5]}">'
                f"<title>{escape(results[j])}: {n}</title></rect>"
            )
            x += w
        out.append(f'<text x="{x + 4:.1f}" y="{y + 15}">{sum(counts)}</text>')
    legend_y = len(rows) * (bar_h + 8) + 18
    for j, word in enumerate(results):
        out.append(
            f'<rect x="{label_w + j * 90}" y="{legend_y - 10}" width="12" height="12" '
            f'fill="{colours[j % 5]}"/><text x="{label_w + j * 90 + 16}" y="{legend_y}">{escape(word)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def write_report_page(renderer: Renderer, report: Report) -> None:
    """One report: its tallies (overall, by goal, department, ※) computed from the rows beside the declared."""
    ctx, index = renderer.ctx, renderer.index
    table, page = report.table, report_page(report)
    comparison = compare_tallies(table)
    declared = {(d.table, d.goal, d.label): d.count for d in table.declared}
    results = table.results
    overall = [
        {
            "label": w,
            "computed": comparison.computed_overall[w],
            "declared": declared.get(("overall", None, w), ""),
            "css": PIVOT_CSS.get(table.metadata.level(w).pivot, ""),
        }
        for w in results
    ]
    overall.append(
        {
            "label": "合計 Total",
            "computed": len(table.activities),
            "declared": declared.get(("overall", None, "合計"), ""),
            "css": "",
        }
    )
    by_goal, chart_rows = [], []
    for goal in table.goals:
        counter = comparison.computed_by_goal.get(goal.numeral, Counter())
        by_goal.append(
            {
                "numeral": goal.numeral,
                "label": goal.title,
                "href": renderer.href(page, report.iris.goal(goal.numeral)),
                "counts": _counts(counter, results),
                "total": sum(counter.values()),
                "declared": declared.get(("by-goal", goal.numeral, "小計"), ""),
            }
        )
        chart_rows.append((goal.numeral, _counts(counter, results)))
    departments: dict[str, Counter[str]] = {}
    for a in table.activities:
        departments.setdefault(a.department, Counter())[a.result] += 1
    by_department = [
        {
            "label": name or "(記載なし)",
            "counts": _counts(c, results),
            "total": sum(c.values()),
            "href": renderer.href(page, report.mapping.department_iri(name)) if name else None,
        }
        for name, c in sorted(departments.items())
    ]
    covid: dict[bool, Counter[str]] = {True: Counter(), False: Counter()}
    for a in table.activities:
        covid[a.covid][a.result] += 1
    verdict = (
        "公表された集計の全ての数値が、行から計算した数値と一致します。"
        " All declared figures are reproduced from the rows."
        if comparison.matches
        else "公表された集計と行から計算した数値が一致しません。 The declared figures differ from the rows."
    )
    marker = next((m.meaning for m in table.markers), "")
    year = table.fiscal_year or 0
    downloads = [download(f) for name, f in sorted(ctx.files.items())
                 if name.startswith(f"data/{report.dataset_id}.") or name.startswith(f"data/{report.dataset_id}-")]
    renderer.page(
        page,
        "report.html",
        title=table.title,
        title_en=table.metadata.document.title_en,
        plan={"label": index.label(report.iris.plan()), "href": renderer.href(page, report.iris.plan())},
        publisher={"label": index.label(report.iris.ward_office()),
                   "href": renderer.href(page, report.iris.ward_office())},
        year_label=f"{fiscal_year_label(year)} FY{year}",
        year_start=f"{year}-04-01",
        year_end=f"{year + 1}-03-31",
        scope_note=table.scope_note,
        total=len(table.activities),
        overall=overall,
        tally_verdict=verdict,
        results=results,
        by_goal=by_goal,
        goal_chart=bar_chart(chart_rows, results),
        by_department=by_department,
        covid=[
            {
                "label": "※ 影響あり affected",
                "counts": _counts(covid[True], results),
                "total": sum(covid[True].values()),
            },
            {
                "label": "影響なし not marked",
                "counts": _counts(covid[False], results),
                "total": sum(covid[False].values()),
            },
        ],
        covid_note=f"※: {marker}" if marker or any(a.covid for a in table.activities) else "",
        declared_lines=[{
            "table": line.table, "scope": line.scope, "label": _category_label(line, table.metadata),
            "computed": line.computed,
            "declared": line.declared,
            "status": {"ok": "一致 ok", "partial": "部分 partial", "DIFFERS": "不一致 differs"}[line.status],
            "href": renderer.href(page, report.iris.element(*line.path)) if line.path else None,
        } for line in comparison.lines],
        declared_note=PARTIAL_NOTE if any(not line.complete for line in comparison.lines) else "",
        downloads=downloads,
        rows=Figures.of(renderer).rows(page, Figures.of(renderer).of_report(report.iris.report())),
        about=_about(renderer, report),
        crumbs=[{"label": "ホーム Home", "href": "../../index.html"},
                {"label": index.label(report.iris.ward_office()),
                 "href": renderer.href(page, report.iris.ward_office()) or ""},
                {"label": index.label(report.iris.plan()), "href": renderer.href(page, report.iris.plan()) or ""}],
    )


def _category_label(line: TallyLine, metadata: SourceMetadata) -> str:
    """What a declared figure counts, in the report's words: '3', '点検結果 A', 'うち重点 3'."""
    assessment = metadata.assessment(line.assessment) if line.assessment else None
    label = f"{assessment.label} {line.label}" if assessment else line.label
    return f"うち重点 {label}" if line.priority else label


def _about(renderer: Renderer, report: Report) -> dict[str, Any]:
    """Where the report comes from, when, whom to ask, under which licence, and how to cite it."""
    meta, table = report.table.metadata, report.table
    publisher = meta.publisher.office_name or meta.publisher.ward_name
    permalink = str(report.dataset_iri)
    year = table.fiscal_year or 0
    issued = meta.publication.issued
    title_en = meta.document.title_en or table.title
    return {
        "source_url": safe_href(meta.document.url),
        "source_form": meta.document.form or "記録 CSV records CSV",
        "issued": issued, "modified": meta.publication.modified,
        "email": meta.publisher.email, "homepage": safe_href(meta.publisher.homepage), "publisher": publisher,
        "licence": meta.licence.spdx or "不明 unknown", "licence_url": safe_href(meta.licence.url),
        "licence_confirmed": meta.licence.confirmed,
        "permalink": permalink,
        "citation": f"{publisher}『{table.title}』"
                    f"{'' if fiscal_year_label(year) in table.title else f'{fiscal_year_label(year)}({year}年度)'}"
                    f"{'、' + issued if issued else ''}。planlod による Linked Open Data 版、{permalink}",
        "citation_en": f"{meta.publisher.office_name_en or meta.publisher.ward_name_en}. {title_en}"
                       f"{'' if str(year) in title_en else f', FY{year}'}"
                       f"{' (' + issued + ')' if issued else ''}. Linked Open Data edition by planlod. {permalink}",
    }


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


PIVOT_CSS = {"met": "result-met", "not-met": "result-notmet"}
MAX_ISSUES_SHOWN = 2_000   # validation results listed on the data page (a national collection has many warnings)
PARTIAL_NOTE = ("部分: その範囲の行の一部しか記録にないため、"
                "行から数えた件数が公表値を超えないことだけを確かめています。"
                " Partial: only part of that scope's rows is in the records, so the rows are only checked not to "
                "exceed the printed figure.")


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
        *([] if not ctx.pages else [{
            "id": "conformance",
            "heading": "標準への適合 Conformance to the standards",
            "text": "Data Cube・SKOS・語彙・CSVW・JSON-LD の規則をビルドごとに確認。"
                    " The rules of Data Cube, SKOS, the vocabulary, CSVW and JSON-LD, checked on every build.",
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
