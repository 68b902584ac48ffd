"""Kawasaki's printed per-page tallies (data/samples/kawasaki/tallies.csv, as given) in planlod's
declared-tallies CSV (docs/records-csv.md), beside the Kawasaki records CSV. Run from the repository root:

    python3 scripts/kawasaki_declared.py

One row per printed 達成度 figure (levels 1-5 and 合計) of each page. A page whose projects are not all in
the records is `complete = false`: its figures are bounds, reported as partial. Pages without an
evaluation year cannot be placed in a report and are listed on standard error. Not yet mapped (no column
kind for them yet): うち重点 counts, 点検結果 A-H and the 3ヵ年 I-V table.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "samples" / "kawasaki" / "tallies.csv"
TARGET = ROOT / "data" / "source" / "kawasaki-city_frontier-plan_evaluations.declared.csv"
COLUMNS = ("fiscal_year", "table", "goal", "policy", "measure", "goal_title", "policy_title", "measure_title",
           "level", "count", "complete", "source")


def main() -> None:
    rows = []
    with SOURCE.open(encoding="utf-8", newline="") as handle:
        for line, page in enumerate(csv.DictReader(handle), 2):
            if not page["evaluation_year"]:
                print(f"{SOURCE}:{line}: no evaluation year printed; left out ({page['url']})", file=sys.stderr)
                continue
            for level, column in (("1", "lv1"), ("2", "lv2"), ("3", "lv3"), ("4", "lv4"), ("5", "lv5"),
                                  ("", "total")):
                if page[column] == "":
                    continue
                rows.append({
                    "fiscal_year": page["evaluation_year"], "table": "page", "goal": page["goal"],
                    "policy": page["policy"], "measure": page["code"], "goal_title": page["goal_title"],
                    "policy_title": page["policy_title"], "measure_title": page["measure_title"], "level": level,
                    "count": page[column], "complete": "true" if page["all_projects_captured"] == "yes" else "false",
                    "source": page["url"],
                })
    with TARGET.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} figures to {TARGET.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
