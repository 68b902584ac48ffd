"""compare.html: the reports side by side on the shared pivot, per level of each scale and by field.

Reports on different scales are compared only where their publishers declared how each level maps to
met / not met; each report's own levels are shown too, so nothing is hidden behind the pivot.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import Any

from ..cells import fiscal_year_label
from ..collection import Report
from ..graph.structure import field_labels
from ..tallies import met_rate, pivot_counts, rate_text
from .catalog import report_page
from .render import Renderer

PAGE = "compare.html"


def rate_chart(rows: list[tuple[str, float | None]]) -> str:
    """Met-rates as horizontal bars, inline SVG scaled to its container (no script, phone-safe)."""
    label_w, bar_w, bar_h, gap = 300, 260, 20, 8
    width, height = label_w + bar_w + 60, len(rows) * (bar_h + gap) + 24
    out = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" style="width:100%;max-width:{width}px" '
           f'aria-labelledby="rate-chart-title"><title id="rate-chart-title">達成率 met-rate per report</title>']
    for i, (label, rate) in enumerate(rows):
        y = i * (bar_h + gap)
        out.append(f'<text x="0" y="{y + 15}">{escape(label)}</text>')
        out.append(f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="{bar_h}" fill="#eeeeee"/>')
        if rate is not None:
            out.append(f'<rect x="{label_w}" y="{y}" width="{rate * bar_w / 100:.1f}" height="{bar_h}" '
                       f'fill="#2e7d32"><title>{escape(label)}: {rate:.1f}%</title></rect>')
        out.append(f'<text x="{label_w + bar_w + 6}" y="{y + 15}">{rate_text(rate)}</text>')
    axis_y = len(rows) * (bar_h + gap) + 14
    for tick in (0, 50, 100):
        out.append(f'<text x="{label_w + tick * bar_w / 100 - 8:.0f}" y="{axis_y}">{tick}%</text>')
    out.append("</svg>")
    return "".join(out)


def _fields_of(report: Report) -> list[set[str]]:
    """Each evaluation row's fields: those its goal, policy or measure is mapped to (as the query counts)."""
    fields = report.table.metadata.fields
    return [{fields[n] for n in (a.goal, f"{a.goal}-{a.policy}", f"{a.goal}-{a.policy}-{a.measure}") if n in fields}
            for a in report.table.activities]


def _field_table(reports: list[Report]) -> tuple[list[str], list[dict[str, Any]]]:
    labels = field_labels()
    counts: dict[str, dict[int, Counter[str]]] = {}
    for column, report in enumerate(reports):
        for a, row_fields in zip(report.table.activities, _fields_of(report), strict=True):
            pivot = report.table.metadata.level(a.result).pivot
            for field in row_fields:
                counts.setdefault(field, {}).setdefault(column, Counter())[pivot] += 1
    rows = []
    for field in sorted(counts):
        cells = []
        for column in range(len(reports)):
            c = counts[field].get(column, Counter())
            rate = met_rate(c["met"], c["not-met"])
            cells.append("" if not c else f"{c['met']}/{c['met'] + c['not-met']} ({rate_text(rate)})")
        ja, en = labels.get(field, (field, field))
        rows.append({"label": ja, "en": en, "cells": cells})
    headers = [f"{r.table.metadata.publisher.office_name} FY{r.table.fiscal_year}" for r in reports]
    return headers, rows


def write_compare_page(renderer: Renderer) -> None:
    reports = sorted(renderer.ctx.reports, key=lambda r: (r.series_id, r.table.fiscal_year or 0))
    rows, chart = [], []
    for report in reports:
        table, meta = report.table, report.table.metadata
        pivots = pivot_counts(table)
        rate = met_rate(pivots["met"], pivots["not-met"])
        name = f"{meta.publisher.office_name} {renderer.index.label(report.iris.plan())}"
        year = f"{fiscal_year_label(table.fiscal_year or 0)} FY{table.fiscal_year}"
        levels = Counter(a.result for a in table.activities)
        rows.append({
            "name": name, "plan_href": renderer.href(PAGE, report.iris.plan()), "year": year,
            "href": report_page(report), "total": len(table.activities), "met": pivots["met"],
            "not_met": pivots["not-met"], "rate": rate_text(rate),
            "levels": [{"word": level.word, "label": level.label or level.word, "count": levels[level.word],
                        "css": {"met": "result-met", "not-met": "result-notmet"}.get(level.pivot, "")}
                       for level in meta.levels],
        })
        chart.append((f"{meta.publisher.office_name} FY{table.fiscal_year}", rate))
    field_headers, field_rows = _field_table(reports)
    renderer.page(
        PAGE, "compare.html", title="報告の比較", title_en="Comparing the reports", rows=rows,
        chart=rate_chart(chart), field_headers=field_headers, field_rows=field_rows,
        crumbs=[{"label": "ホーム Home", "href": "index.html"}],
    )
