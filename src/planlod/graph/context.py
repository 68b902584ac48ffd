"""What every mapping rule needs: the table, its IRIs, and the keys derived once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from rdflib import URIRef

from ..errors import PlanlodError
from ..records import Activity, ProgressTable
from .iris import ActivityKey, IriScheme, check_base, project_key


def _fallback_id(prefix: str, text: str) -> str:
    return f"{prefix}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:10]}"


@dataclass(frozen=True)
class MappingContext:
    table: ProgressTable
    iris: IriScheme
    result_ids: dict[str, str]          # printed word -> ASCII id
    department_ids: dict[str, str]      # printed name -> ASCII id
    keys: tuple[ActivityKey, ...]       # one per activity, same order

    def result_iri(self, word: str) -> URIRef:
        return self.iris.scale(self.result_ids[word])

    def assessment_iri(self, assessment_id: str, word: str) -> URIRef:
        assessment = self.table.metadata.assessment(assessment_id)
        assert assessment is not None  # the records were checked against the metadata when read
        return self.iris.assessment(assessment_id, assessment.level(word).id)

    def department_iri(self, name: str) -> URIRef:
        return self.iris.department(self.department_ids[name])


def activity_keys(activities: tuple[Activity, ...]) -> tuple[ActivityKey, ...]:
    """Number each activity within its project, in reading order. A project whose one row names no
    activity is evaluated as a whole (ordinal 0): its plan has no 事業内容 level."""
    rows: dict[tuple[str, str, str, str], list[Activity]] = {}
    for a in activities:
        rows.setdefault((a.goal, a.policy, a.measure, project_key(a.project_number, a.project_name)), []).append(a)
    seen: dict[tuple[str, str, str, str], int] = {}
    keys = []
    for a in activities:
        project = (a.goal, a.policy, a.measure, project_key(a.project_number, a.project_name))
        whole = len(rows[project]) == 1 and not a.activity
        seen[project] = 0 if whole else seen.get(project, 0) + 1
        keys.append(ActivityKey(*project, seen[project]))
    return tuple(keys)


def make_context(table: ProgressTable, base: str) -> MappingContext:
    meta = table.metadata
    where = str(meta.path) if meta.path else table.source_name
    ward_code, plan_id = meta.publisher.ward_code, meta.plan.id
    if not ward_code.isdigit() or not plan_id:
        raise PlanlodError(
            "the metadata must give the publisher's municipality code and the plan's id to mint IRIs",
            where=where, hint="set [publisher] ward_code (e.g. \"151076\") and [plan] id (e.g. \"vision-3\")")
    if table.fiscal_year is None:
        raise PlanlodError("the report's fiscal year is unknown", where=where,
                           hint="set [document] report_fiscal_year in the metadata")
    result_ids = {word: meta.level(word).id or _fallback_id("r", word)
                  for word in table.results}
    department_ids = {name: (meta.departments[name].id if name in meta.departments else _fallback_id("unit", name))
                      for name in table.departments}
    iris = IriScheme(check_base(base), ward_code, meta.publisher.city_code, plan_id,
                     table.fiscal_year)
    return MappingContext(table, iris, result_ids, department_ids, activity_keys(table.activities))
