"""planlod init: the files a municipality fills in for a new report, without the PDF layout.

Writes `<code>-<plan>-fy<year>.meta.toml` (commented: what each key is for) and an empty records CSV
with its header. Once rows are added, `planlod build --source <that CSV>` builds it as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .errors import PlanlodError
from .metadata_schema import CODE, IDENT
from .records import CSV_COLUMNS


@dataclass(frozen=True)
class NewReport:
    code: str                   # 全国地方公共団体コード of the publisher (6 digits)
    plan_id: str                # ASCII key of the plan within the municipality
    year: int                   # Gregorian start year of the report's fiscal year
    office_name: str
    office_name_en: str
    plan_title: str
    plan_title_en: str
    levels: tuple[str, ...]     # the scale's printed words or digits, best first
    met: tuple[str, ...]        # those that count as met


def _q(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def level_id(word: str, rank: int) -> str:
    token = word.strip().lower()
    return token if IDENT(token) is None else f"level-{rank}"


def check_new_report(new: NewReport) -> None:
    problems = []
    if CODE(new.code) is not None:
        problems.append(("--code", "a 6-digit 全国地方公共団体コード with its check digit, e.g. 151076"))
    if IDENT(new.plan_id) is not None:
        problems.append(("--plan-id", "lower-case ASCII letters, digits and '-', e.g. vision-3"))
    if not 1868 <= new.year <= 2200:
        problems.append(("--year", "the Gregorian start year of the fiscal year, e.g. 2024"))
    if len(new.levels) < 2 or len(set(new.levels)) != len(new.levels) or any(" " in w or not w for w in new.levels):
        problems.append(("--levels", "two or more distinct words without spaces, best first, e.g. A,B,C,D"))
    if not new.met or not set(new.met) <= set(new.levels) or set(new.met) == set(new.levels):
        problems.append(("--met", "the levels that count as met: some of --levels, not all"))
    if problems:
        option, expected = problems[0]
        raise PlanlodError(f"{option} is not valid", hint=f"expected {expected}")


def metadata_text(new: NewReport) -> str:
    levels = "\n".join(
        f'[results.{_q(word)}]\nid = "{level_id(word, rank)}"   # ASCII id for IRIs\n'
        f'label = ""   # what the level means, in Japanese, if the word alone does not say\n'
        f'en = ""      # the same in English\n'
        f'pivot = "{"met" if word in new.met else "not-met"}"   # met / not-met on the shared pivot\n'
        for rank, word in enumerate(new.levels, 1))
    return f'''# planlod metadata for one report: {new.office_name} × {new.plan_title} × FY{new.year}.
# Written by `planlod init`; every key is described in docs/records-csv.md. Fill in the rows of the CSV
# beside this file (same name, .csv), then: planlod build --source <that CSV>

[document]
title = {_q(f"{new.plan_title} 進行管理表({new.year}年度)")}
title_en = {_q(f"{new.plan_title_en}: progress report FY{new.year}")}
report_fiscal_year = {new.year}
language = "ja"
form = "records CSV filled in by the publisher"

[plan]
id = {_q(new.plan_id)}          # ASCII key of the plan within the municipality: it stands in IRIs
title = {_q(new.plan_title)}
title_en = {_q(new.plan_title_en)}

[publisher]
ward_code = {_q(new.code)}      # 全国地方公共団体コード of the publisher (a ward's or a city's)
office_name = {_q(new.office_name)}
office_name_en = {_q(new.office_name_en)}
# ward_sac = "C00000"           # e-Stat standard area code (5 digits), for dct:spatial
# homepage = "https://…"
# city_code = "000000"          # for a ward of a designated city: the city's code

[licence]
# spdx = "CC-BY-4.0"
# url = "https://creativecommons.org/licenses/by/4.0/"
confirmed = false

[layout]
# The evaluation scale: the words or digits the report prints, best first.
results = [{", ".join(_q(w) for w in new.levels)}]

{levels}
# What the plan calls its levels (optional; each becomes a named SKOS collection of its elements):
# [hierarchy]
# goal = "基本政策"
# goal_en = "Basic policy"
# measure = "施策課題"
# project = "事務事業"

# A further evaluation the report prints beside the scale (optional; rows give it in a column
# assessment.<id>, e.g. assessment.inspection), with its values in order:
# [assessments.inspection]
# label = "点検結果"
# en = "Inspection result"
# values = ["A", "B", "C"]
# Rows may also say whether a project is a priority (重点) in a column `priority` (true / false).

[publication]
# issued = "{new.year + 1}-06-30"   # dates the data is published (fixed here, so builds are repeatable)
keywords = ["進行管理表"]
keywords_en = ["progress report"]
themes = ["GOVE"]
'''


def write_new_report(new: NewReport, folder: Path) -> list[Path]:
    """Write the metadata and an empty records CSV; refuse to overwrite anything."""
    check_new_report(new)
    stem = f"{new.code}-{new.plan_id}-fy{new.year}"
    meta, records = folder / f"{stem}.meta.toml", folder / f"{stem}.csv"
    for path in (meta, records):
        if path.exists():
            raise PlanlodError("this file exists already", where=str(path), hint="choose another --out folder")
    folder.mkdir(parents=True, exist_ok=True)
    meta.write_text(metadata_text(new), encoding="utf-8")
    records.write_text(",".join(CSV_COLUMNS) + "\n", encoding="utf-8")
    return [meta, records]
