"""Kawasaki's records (data/samples/kawasaki/records.csv, as given) with what records_detail.csv adds per
row, in planlod's records CSV (docs/records-csv.md). Run from the repository root:

    python3 scripts/kawasaki_records.py

Adds the optional columns: `priority` (重点: true where the page marks the project 重点, false where it
does not), and one `assessment.<id>` column per further evaluation the pages print, declared in the
metadata's [assessments]: validity and effectiveness (1-5, 2007), three-year (3ヵ年 達成状況 I-V) and
inspection (点検結果 A-H, 2008-2010); `source`, the page each row is printed on (records_sources.csv); and
`note`, the reader's doubt about a cell split where there is one. The position on the page and the plan
vs revised target of records_detail.csv stay in the sample only.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "kawasaki"
TARGET = ROOT / "data" / "source" / "kawasaki-city_frontier-plan_evaluations.csv"
ASSESSMENTS = (("validity", "validity_5scale"), ("effectiveness", "effectiveness_5scale"),
               ("three-year", "three_year"), ("inspection", "tenken"))


def main() -> None:
    with (SAMPLE / "records.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = [*(reader.fieldnames or []), "priority", *(f"assessment.{a}" for a, _ in ASSESSMENTS), "source",
                   "note"]
        records = list(reader)
    with (SAMPLE / "records_detail.csv").open(encoding="utf-8", newline="") as handle:
        details = list(csv.DictReader(handle))
    with (SAMPLE / "records_sources.csv").open(encoding="utf-8", newline="") as handle:
        sources = list(csv.DictReader(handle))
    if not len(details) == len(sources) == len(records):
        sys.exit(f"records.csv has {len(records)} rows, records_detail.csv {len(details)}")
    for number, (record, detail, source) in enumerate(zip(records, details, sources, strict=True), 1):
        # The two files list the same rows in the same order; make sure before joining them.
        if (detail["row"], detail["fiscal_year"], detail["measure"], detail["project_name"]) != (
                str(number), record["fiscal_year"], record["measure"], record["project_name"]):
            sys.exit(f"row {number}: records_detail.csv does not describe the same evaluation")
        if (source["row"], source["measure"], source["project_name"]) != (
                str(number), record["measure"], record["project_name"]) or source["url"] != detail["url"]:
            sys.exit(f"row {number}: records_sources.csv does not describe the same evaluation")
        record["source"], record["note"] = source["url"], detail["doubt"]
        record["priority"] = "true" if detail["juten"] == "重点" else "false"
        for assessment, column in ASSESSMENTS:
            record[f"assessment.{assessment}"] = detail[column]
    with TARGET.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
    print(f"wrote {len(records)} rows to {TARGET.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
