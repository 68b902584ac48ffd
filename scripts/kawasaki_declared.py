"""Kawasaki's printed per-page tallies (data/samples/kawasaki/tallies.csv, as given) in planlod's
declared-tallies CSV (docs/records-csv.md), beside the Kawasaki records CSV. Run from the repository root:

    python3 scripts/kawasaki_declared.py

One row per printed figure of each page: 達成度 (levels 1-5 and 合計) and its うち重点 line (`priority`
true), 点検結果 A-H (assessment `inspection`), and the 3ヵ年 I-V table with its うち重点 line (assessment
`three-year`). A page whose projects are not all in the records is `complete = false`: its figures are
bounds, reported as partial. Pages without an evaluation year cannot be placed in a report and are listed
on standard error.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "samples" / "kawasaki" / "tallies.csv"
TARGET = ROOT / "data" / "source" / "kawasaki-city_frontier-plan_evaluations.declared.csv"
COLUMNS = ("fiscal_year", "table", "goal", "policy", "measure", "goal_title", "policy_title", "measure_title",
           "level", "count", "complete", "source", "assessment", "priority")
LEVELS = tuple((str(n), f"lv{n}") for n in range(1, 6)) + (("", "total"),)
# (assessment, priority, [(value, column)]) of each printed table of a page.
TABLES = (
    ("", "false", LEVELS),
    ("", "true", tuple((value, f"{column}_juten") for value, column in LEVELS)),
    ("inspection", "false", tuple((c, f"tenken_{c}") for c in "ABCDEFGH")),
    ("three-year", "false", tuple((v, f"3yr_{v}") for v in ("I", "II", "III", "IV", "V"))),
    ("three-year", "true", tuple((v, f"3yr_{v}_juten") for v in ("I", "II", "III", "IV", "V"))),
)


def main() -> None:
    rows = []
    with SOURCE.open(encoding="utf-8", newline="") as handle:
        for line, page in enumerate(csv.DictReader(handle), 2):
            if not page["evaluation_year"]:
                print(f"{SOURCE}:{line}: no evaluation year printed; left out ({page['url']})", file=sys.stderr)
                continue
            for assessment, priority, columns in TABLES:
                for level, column in columns:
                    if page[column] == "":
                        continue
                    rows.append({
                        "fiscal_year": page["evaluation_year"], "table": "page", "goal": page["goal"],
                        "policy": page["policy"], "measure": page["code"], "goal_title": page["goal_title"],
                        "policy_title": page["policy_title"], "measure_title": page["measure_title"],
                        "level": level, "count": page[column],
                        "complete": "true" if page["all_projects_captured"] == "yes" else "false",
                        "source": page["url"], "assessment": assessment, "priority": priority,
                    })
    with TARGET.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} figures to {TARGET.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
