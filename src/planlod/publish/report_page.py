"""A report's own page: reports/<dataset id>/index.html (tallies by goal and by result, the declared figures
compared with the rows, and how to cite it)."""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import Any

from ..cells import fiscal_year_label
from ..collection import Report
from ..metadata import SourceMetadata
from ..tallies import TallyLine, compare_tallies
from .catalog import report_page
from .figures import Figures
from .pages import download
from .render import Renderer, safe_href

PIVOT_CSS = {"met": "result-met", "not-met": "result-notmet"}
PARTIAL_NOTE = ("部分: その範囲の行の一部しか記録にないため、"
                "行から数えた件数が公表値を超えないことだけを確かめています。"
                " Partial: only part of that scope's rows is in the records, so the rows are only checked not to "
                "exceed the printed figure.")


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
