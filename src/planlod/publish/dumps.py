"""The data as dumps (Turtle, JSON-LD, N-Triples) and as CSV with its CSV on the Web metadata."""

from __future__ import annotations

import json

from ..collection import Report
from ..csvio import REQUIRED_COLUMNS, optional_columns, records_to_csv, records_to_spreadsheet_csv
from ..formats import DATASET_FORMATS, FORMATS, SPREADSHEET_CSV
from ..records import ASSESSMENT_PREFIX, CSV_COLUMNS
from ..serialize import serialize_graph
from .context import PublishContext
from .files import write_file

# What each CSV column holds, for the CSVW metadata (the CSV is also the input template).
COLUMN_DOCS: dict[str, tuple[str, str, str]] = {
    "goal": ("目標", "Notation of the goal (I, 1, …)", "token"),
    "goal_title": ("目標の名称", "Goal title", "string"),
    "policy": ("施策", "Notation of the policy within its goal (1, 1-2, …)", "token"),
    "policy_title": ("施策の名称", "Policy title", "string"),
    "measure": ("取組", "Notation of the measure within its policy (2, 11301000, …)", "token"),
    "measure_title": ("取組の名称", "Measure title", "string"),
    "project_number": ("事業番号", "Project number within its measure (empty where none is printed)", "token"),
    "project_name": ("事業名", "Project name", "string"),
    "project_outline": ("事業概要", "Project outline (as printed on this row)", "string"),
    "activity": ("事業内容", "Activity", "string"),
    "fiscal_year": ("年度", "Report fiscal year (Gregorian start year)", "gYear"),
    "target": ("目標", "Target, as printed", "string"),
    "actual": ("実績", "Actual, as printed", "string"),
    "previous_fiscal_year": ("参考年度", "Fiscal year of the reference actual", "gYear"),
    "previous_actual": ("(参考)実績", "Reference actual of the previous year, as printed", "string"),
    "result": ("評価", "Evaluation word or digit as printed (a level of the plan's scale)", "string"),
    "direction": ("課題と今後の方向性", "Issues and direction, as printed ('-' for none)", "string"),
    "covid": ("※", "The project missed its target because of COVID-19 (※)", "boolean"),
    "department": ("担当課", "Responsible division", "string"),
    "source_line": ("出典の行", "1-based line of the row in the source text", "positiveInteger"),
    "priority": ("重点", "The project is a priority (重点) this year", "boolean"),
    "source": ("出典", "Where the row is printed: an http(s) URL", "anyURI"),
    "note": ("読み取りの注記", "How the row was read (an inferred cell split, …)", "string"),
}
# A notation: the pattern planlod reads (docs/records-csv.md), as a CSVW derived datatype.
TOKEN_DATATYPE = {"base": "string", "format": "[A-Za-z0-9][A-Za-z0-9._-]{0,62}"}


COLLECTION_ID = "all"


def dump_name(dataset_id: str, suffix: str) -> str:
    return f"data/{dataset_id}{suffix}"


def write_dumps(ctx: PublishContext) -> None:
    """Each report's own dumps, then the collection's: every report in its own named graph."""
    quads: list[str] = []
    trig: list[str] = []
    prefixes: set[str] = set()
    for report in sorted(ctx.reports, key=lambda r: r.dataset_id):
        for rdf_format in FORMATS:
            text = serialize_graph(report.graph, rdf_format)
            write_file(ctx, dump_name(report.dataset_id, rdf_format.suffix), text, rdf_format.media_type)
            if rdf_format.name == "nt":  # each report's sorted block, in dataset order (as large.py writes it)
                quads.append(text.replace(" .\n", f" <{report.dataset_iri}> .\n"))
            elif rdf_format.name == "turtle":
                body = [line for line in text.split("\n") if not line.startswith("@prefix")]
                prefixes.update(line for line in text.split("\n") if line.startswith("@prefix"))
                trig.append(f"<{report.dataset_iri}> {{\n" + "\n".join(body).strip("\n") + "\n}\n")
    nquads, trig_format = DATASET_FORMATS
    write_file(ctx, dump_name(COLLECTION_ID, nquads.suffix), "".join(quads), nquads.media_type)
    write_file(ctx, dump_name(COLLECTION_ID, trig_format.suffix),
               "".join(line + "\n" for line in sorted(prefixes)) + "\n" + "\n".join(trig), trig_format.media_type)


def write_spreadsheet(ctx: PublishContext) -> None:
    for report in ctx.reports:
        write_file(ctx, dump_name(report.dataset_id, SPREADSHEET_CSV.suffix),
                   records_to_spreadsheet_csv(report.table.activities, report.table.metadata.assessments))


def write_records(ctx: PublishContext) -> None:
    for report in ctx.reports:
        write_report_records(ctx, report)


def write_report_records(ctx: PublishContext, report: Report) -> None:
    csv_name = dump_name(report.dataset_id, ".csv")
    write_file(ctx, csv_name, records_to_csv(report.table.activities))
    columns = []
    assessments = {ASSESSMENT_PREFIX + a.id: a for a in report.table.metadata.assessments}
    for name in (*CSV_COLUMNS, *optional_columns(report.table.activities)):
        if name in assessments:
            a = assessments[name]
            ja, en, datatype = a.label, f"{a.en or a.label}: one of {', '.join(a.values)}", "string"
        else:
            ja, en, datatype = COLUMN_DOCS[name]
        column: dict[str, object] = {
            "name": name.replace(".", "_"),
            "titles": name,
            "datatype": TOKEN_DATATYPE if datatype == "token" else datatype,
            "dc:description": [{"@value": ja, "@language": "ja"}, {"@value": en, "@language": "en"}],
            "required": name in REQUIRED_COLUMNS,   # the cells the reader refuses empty
        }
        if datatype == "boolean":
            column["datatype"] = {"base": "boolean", "format": "true|false"}
        columns.append(column)
    metadata = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "ja"}],
        "url": csv_name.rsplit("/", 1)[1],
        "dc:title": [
            {"@value": report.table.title, "@language": "ja"},
            {"@value": "Evaluation rows of the progress report", "@language": "en"},
        ],
        "dc:license": {"@id": report.table.metadata.licence.url},
        "dialect": {"encoding": "utf-8", "header": True, "lineTerminators": ["\n"]},
        "tableSchema": {"columns": columns, "aboutUrl": "#row-{source_line}"},
    }
    write_file(
        ctx,
        csv_name + "-metadata.json",
        json.dumps(metadata, ensure_ascii=False, indent=2) + "\n")
