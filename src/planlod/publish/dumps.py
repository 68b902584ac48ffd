"""The data as dumps (Turtle, JSON-LD, N-Triples) and as CSV with its CSV on the Web metadata."""

from __future__ import annotations

import json

from ..csvio import records_to_csv, records_to_spreadsheet_csv
from ..formats import FORMATS
from ..records import CSV_COLUMNS
from ..serialize import serialize_graph
from .context import PublishContext
from .files import write_file

# What each CSV column holds, for the CSVW metadata (the CSV is also the input template).
COLUMN_DOCS: dict[str, tuple[str, str, str]] = {
    "goal": ("目標", "Goal numeral (I, II, …)", "string"),
    "goal_title": ("目標の名称", "Goal title", "string"),
    "policy": ("施策", "Ordinal of the policy within its goal", "positiveInteger"),
    "policy_title": ("施策の名称", "Policy title", "string"),
    "measure": ("取組", "Number (n) of the measure", "positiveInteger"),
    "measure_title": ("取組の名称", "Measure title", "string"),
    "project_number": ("事業番号", "Project number within its measure", "positiveInteger"),
    "project_name": ("事業名", "Project name", "string"),
    "project_outline": ("事業概要", "Project outline (as printed on this row)", "string"),
    "activity": ("事業内容", "Activity", "string"),
    "fiscal_year": ("年度", "Report fiscal year (Gregorian start year)", "gYear"),
    "target": ("目標", "Target, as printed", "string"),
    "actual": ("実績", "Actual, as printed", "string"),
    "previous_fiscal_year": ("参考年度", "Fiscal year of the reference actual", "gYear"),
    "previous_actual": ("(参考)実績", "Reference actual of the previous year, as printed", "string"),
    "result": ("評価", "Evaluation word as printed (達成 / 未達成)", "string"),
    "direction": ("課題と今後の方向性", "Issues and direction, as printed ('-' for none)", "string"),
    "covid": ("※", "The project missed its target because of COVID-19 (※)", "boolean"),
    "department": ("担当課", "Responsible division", "string"),
    "source_line": ("出典の行", "1-based line of the row in the source text", "positiveInteger"),
}


def dump_name(ctx: PublishContext, suffix: str) -> str:
    return f"data/{ctx.dataset_id}{suffix}"


def write_dumps(ctx: PublishContext) -> None:
    for rdf_format in FORMATS:
        write_file(
            ctx, dump_name(ctx, rdf_format.suffix), serialize_graph(ctx.graph, rdf_format), rdf_format.media_type
        )


def write_spreadsheet(ctx: PublishContext) -> None:
    write_file(ctx, dump_name(ctx, "-spreadsheet.csv"), records_to_spreadsheet_csv(ctx.table.activities),
               "text/csv")


def write_records(ctx: PublishContext) -> None:
    csv_name = dump_name(ctx, ".csv")
    write_file(ctx, csv_name, records_to_csv(ctx.table.activities), "text/csv")
    columns = []
    for name in CSV_COLUMNS:
        ja, en, datatype = COLUMN_DOCS[name]
        column: dict[str, object] = {
            "name": name,
            "titles": name,
            "datatype": datatype,
            "dc:description": [{"@value": ja, "@language": "ja"}, {"@value": en, "@language": "en"}],
        }
        if datatype == "boolean":
            column["datatype"] = {"base": "boolean", "format": "true|false"}
        if name in (
            "previous_fiscal_year",
            "source_line",
            "target",
            "actual",
            "previous_actual",
            "direction",
            "project_outline",
            "activity",
            "department",
            "measure_title",
            "policy_title",
        ):
            column["required"] = False
        else:
            column["required"] = True
        columns.append(column)
    metadata = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "ja"}],
        "url": csv_name.rsplit("/", 1)[1],
        "dc:title": [
            {"@value": ctx.table.title, "@language": "ja"},
            {"@value": "Evaluation rows of the progress report", "@language": "en"},
        ],
        "dc:license": {"@id": ctx.table.metadata.licence.url},
        "dialect": {"encoding": "utf-8", "header": True, "lineTerminators": ["\n"]},
        "tableSchema": {"columns": columns, "aboutUrl": "#row-{source_line}"},
    }
    write_file(
        ctx,
        csv_name + "-metadata.json",
        json.dumps(metadata, ensure_ascii=False, indent=2) + "\n",
        "application/csvm+json",
    )
