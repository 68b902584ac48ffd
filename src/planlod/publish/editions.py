"""Each plan's editions on the site: data/<series>-changes.csv, and the words its plan page uses
(the editions themselves: planlod.editions)."""

from __future__ import annotations

import io

from ..csvio import write_csv_row
from ..editions import CHANGES_HEADER, Edition, editions_by_plan
from .context import PublishContext
from .files import write_file

# 'appears' / 'absent' rather than added / ended: in a partial sample an element may only be unread.
CHANGE_WORDS = {"appears": "今版に登場 appears", "absent": "今版になし absent", "retitled": "名称変更 retitled",
                "now met": "達成に変化 now met", "no longer met": "未達成に変化 no longer met"}


def write_edition_changes(ctx: PublishContext) -> None:
    """data/<series>-changes.csv for each plan with more than one edition; the editions are kept in the
    context for the plan pages, so the report graphs are compared once."""
    ctx.editions = editions_by_plan(ctx.reports)
    for editions in ctx.editions.values():
        write_changes(ctx, editions)


def write_changes(ctx: PublishContext, editions: list[Edition]) -> None:
    """The plan's changes CSV, when it has more than one edition."""
    if len(editions) < 2:
        return
    out = io.StringIO()
    write_csv_row(out, list(CHANGES_HEADER))
    for previous, edition in zip(editions, editions[1:], strict=False):
        for change in edition.changes:
            write_csv_row(out, [str(previous.fiscal_year), str(edition.fiscal_year), change.kind, change.notation,
                                str(change.element), change.before, change.after])
    write_file(ctx, editions[0].changes_path, out.getvalue())
