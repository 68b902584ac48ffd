"""The metadata file beside a source, read into one typed, checked structure.

Each [table] of the TOML file is a frozen dataclass below; each field names the kind of value it takes
(metadata_schema.py), so the list of keys exists once. An unknown or misspelt key, a missing required
value, a wrong type or a value off its pattern is an error naming file:line and the key, with a hint.
No other module reads the TOML.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import tomllib
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any

from . import metadata_schema as kind
from .bundled import FIELDS_PATH
from .errors import SourceError
from .metadata_schema import Check, fail_at

DEFAULT_WORDS = ("達成", "未達成")
DEFAULT_PIVOTS = {"達成": "met", "未達成": "not-met"}


def metadata_key(check: Check, default: Any = "") -> Any:
    return field(default=default, metadata={"check": check})


@dataclass(frozen=True)
class DocumentInfo:
    title: str = metadata_key(kind.TEXT)
    title_en: str = metadata_key(kind.TEXT)
    report_fiscal_year: int | None = metadata_key(kind.YEAR, None)
    scope: str = metadata_key(kind.TEXT)
    language: str = metadata_key(kind.LANGUAGE)
    form: str = metadata_key(kind.TEXT)
    original_format: str = metadata_key(kind.MEDIA_TYPE)
    sha256: str = metadata_key(kind.SHA256)
    url: str = metadata_key(kind.URL)


@dataclass(frozen=True)
class PlanInfo:
    id: str = metadata_key(kind.IDENT)
    title: str = metadata_key(kind.TEXT)
    title_en: str = metadata_key(kind.TEXT)
    implementation_plan: str = metadata_key(kind.TEXT)
    implementation_plan_en: str = metadata_key(kind.TEXT)

    @property
    def full_title(self) -> str:
        return " ".join(t for t in (self.title, self.implementation_plan) if t)

    @property
    def full_title_en(self) -> str:
        return ", ".join(t for t in (self.title_en, self.implementation_plan_en) if t)


@dataclass(frozen=True)
class PublisherInfo:
    name: str = metadata_key(kind.TEXT)
    name_en: str = metadata_key(kind.TEXT)
    ward_code: str = metadata_key(kind.CODE)
    ward_name: str = metadata_key(kind.TEXT)
    ward_name_en: str = metadata_key(kind.TEXT)
    city_code: str = metadata_key(kind.CODE)
    city_name: str = metadata_key(kind.TEXT)
    city_name_en: str = metadata_key(kind.TEXT)
    prefecture_name: str = metadata_key(kind.TEXT)
    prefecture_name_en: str = metadata_key(kind.TEXT)
    office_name: str = metadata_key(kind.TEXT)
    office_name_en: str = metadata_key(kind.TEXT)
    ward_sac: str = metadata_key(kind.SAC)
    city_sac: str = metadata_key(kind.SAC)
    homepage: str = metadata_key(kind.URL)
    email: str = metadata_key(kind.EMAIL)


@dataclass(frozen=True)
class LicenceInfo:
    spdx: str = metadata_key(kind.SPDX)
    url: str = metadata_key(kind.URL)
    confirmed: bool = metadata_key(kind.BOOL, False)
    note: str = metadata_key(kind.TEXT)


@dataclass(frozen=True)
class LayoutInfo:
    results: tuple[str, ...] = metadata_key(kind.WORDS, DEFAULT_WORDS)


@dataclass(frozen=True)
class HierarchyInfo:
    """What the plan calls each level of its hierarchy (目標 / 基本政策, …), where the metadata says."""

    goal: str = metadata_key(kind.TEXT)
    goal_en: str = metadata_key(kind.TEXT)
    policy: str = metadata_key(kind.TEXT)
    policy_en: str = metadata_key(kind.TEXT)
    measure: str = metadata_key(kind.TEXT)
    measure_en: str = metadata_key(kind.TEXT)
    project: str = metadata_key(kind.TEXT)
    project_en: str = metadata_key(kind.TEXT)
    activity: str = metadata_key(kind.TEXT)
    activity_en: str = metadata_key(kind.TEXT)
    note: str = metadata_key(kind.TEXT)          # levels the plan has that planlod does not model, …
    note_en: str = metadata_key(kind.TEXT)


@dataclass(frozen=True)
class PublicationInfo:
    id: str = metadata_key(kind.IDENT)
    series_id: str = metadata_key(kind.IDENT)
    issued: str = metadata_key(kind.DATE)
    modified: str = metadata_key(kind.DATE)
    description: str = metadata_key(kind.TEXT)
    description_en: str = metadata_key(kind.TEXT)
    series_description: str = metadata_key(kind.TEXT)
    series_description_en: str = metadata_key(kind.TEXT)
    keywords: tuple[str, ...] = metadata_key(kind.TEXTS, ())
    keywords_en: tuple[str, ...] = metadata_key(kind.TEXTS, ())
    themes: tuple[str, ...] = metadata_key(kind.THEMES, ())


@dataclass(frozen=True)
class Level:
    """One level of the evaluation scale: the printed word, its ASCII id, English label and pivot."""

    word: str = ""
    id: str = metadata_key(kind.IDENT)
    label: str = metadata_key(kind.TEXT)       # what the level means, in Japanese, where the word alone does not say
    en: str = metadata_key(kind.TEXT)
    pivot: str = metadata_key(kind.PIVOT)


@dataclass(frozen=True)
class Department:
    name: str = ""
    id: str = metadata_key(kind.IDENT)
    en: str = metadata_key(kind.TEXT)


@dataclass(frozen=True)
class Assessment:
    """A further evaluation dimension a plan prints beside its scale (点検結果, 妥当性, …): ordered levels
    of its own, not mapped to the pivot. Rows give it in the column `assessment.<id>`."""

    id: str = ""
    label: str = metadata_key(kind.TEXT)
    en: str = metadata_key(kind.TEXT)
    values: tuple[str, ...] = metadata_key(kind.WORDS, ())
    levels: tuple[Level, ...] = ()     # one per value, in order ([assessments.<id>.levels."<word>"])

    def level(self, word: str) -> Level:
        return next(level for level in self.levels if level.word == word)


TABLES: dict[str, type] = {"document": DocumentInfo, "plan": PlanInfo, "publisher": PublisherInfo,
                           "licence": LicenceInfo, "layout": LayoutInfo, "publication": PublicationInfo,
                           "hierarchy": HierarchyInfo}
# Tables keyed by a printed word or name, each entry a small table of its own.
ENTRY_TABLES: dict[str, type] = {"results": Level, "departments": Department}


def checks(table_class: type) -> dict[str, Check]:
    return {f.name: f.metadata["check"] for f in fields(table_class) if "check" in f.metadata}


@dataclass(frozen=True)
class SourceMetadata:
    path: Path | None = None
    document: DocumentInfo = DocumentInfo()
    plan: PlanInfo = PlanInfo()
    publisher: PublisherInfo = PublisherInfo()
    licence: LicenceInfo = LicenceInfo()
    publication: PublicationInfo = PublicationInfo()
    levels: tuple[Level, ...] = tuple(Level(w, "", "", "", DEFAULT_PIVOTS[w]) for w in DEFAULT_WORDS)
    departments: dict[str, Department] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)   # element notation -> field id (vocab/fields.ttl)
    assessments: tuple[Assessment, ...] = ()
    hierarchy: HierarchyInfo = HierarchyInfo()

    def assessment(self, assessment_id: str) -> Assessment | None:
        return next((a for a in self.assessments if a.id == assessment_id), None)

    @property
    def results(self) -> tuple[str, ...]:
        """The evaluation words of the scale, in its order."""
        return tuple(level.word for level in self.levels)

    def level(self, word: str) -> Level:
        return next((level for level in self.levels if level.word == word), Level(word))

    @property
    def fiscal_year(self) -> int | None:
        return self.document.report_fiscal_year


def sidecar(source_path: Path, suffix: str) -> Path:
    """data/source/x.txt -> data/source/x.meta.toml (suffix '.meta.toml')."""
    return source_path.with_name(source_path.stem + suffix)


def typed_table(table_class: type, values: Any, table: str, path: Path, text: str, **extra: Any) -> Any:
    """The table's values checked key by key and made into its dataclass."""
    if not isinstance(values, dict):
        raise fail_at(path, text, table, None, f"[{table}] must be a table",
                      f"write it as [{table}] with key = value lines")
    known = checks(table_class)
    for key, value in values.items():
        check = known.get(key)
        if check is None:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(sorted(known))
            raise fail_at(path, text, table, key, f"unknown key '{key}' in [{table}]", hint)
        expected = check(value)
        if expected is not None:
            raise fail_at(path, text, table, key, f"[{table}] {key} = {value!r:.80} is not valid",
                          f"expected {expected}")
    typed = {k: tuple(v) if isinstance(v, list) else v.isoformat() if isinstance(v, dt.date) else v
             for k, v in values.items()}
    return table_class(**typed, **extra)


def _entries(data: dict[str, Any], name: str, path: Path, text: str) -> dict[str, Any]:
    values = data.get(name, {})
    if not isinstance(values, dict):
        raise fail_at(path, text, name, None, f"[{name}] must hold tables", f'write [{name}."…"] tables')
    entries = {}
    for entry, entry_values in values.items():
        table_name = f'{name}."{entry}"'
        key = "word" if name == "results" else "name"
        entries[entry] = typed_table(ENTRY_TABLES[name], entry_values, table_name, path, text, **{key: entry})
        if not entries[entry].id:
            raise fail_at(path, text, table_name, None, f"[{table_name}] has no id",
                          "give it an id of lower-case ASCII letters, digits and '-'")
    return entries


def read_metadata(path: Path) -> SourceMetadata:
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as err:
        raise SourceError(f"cannot read the metadata: {err.strerror}", where=str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise SourceError(f"the metadata is not valid TOML: {err}", where=str(path)) from None
    for name in data:
        if name not in TABLES and name not in ENTRY_TABLES and name not in ("fields", "assessments"):
            known = sorted([*TABLES, *ENTRY_TABLES, "fields", "assessments"])
            close = difflib.get_close_matches(name, known, n=1)
            raise fail_at(path, text, name, None, f"unknown table [{name}]",
                          f"did you mean [{close[0]}]?" if close else "known tables: " + ", ".join(known))
    tables = {name: typed_table(cls, data.get(name, {}), name, path, text) for name, cls in TABLES.items()}
    terms = _entries(data, "results", path, text)
    words = tables["layout"].results
    for word in terms:
        if word not in words:
            raise fail_at(path, text, f'results."{word}"', None,
                          f"[results.\"{word}\"] describes a word that [layout] results does not list",
                          f"add '{word}' to [layout] results, or remove this table")
    levels = tuple(terms.get(word) or Level(word, "", "", "", DEFAULT_PIVOTS.get(word, "")) for word in words)
    return SourceMetadata(path, tables["document"], tables["plan"], tables["publisher"], tables["licence"],
                          tables["publication"], levels, _entries(data, "departments", path, text),
                          _fields(data.get("fields", {}), path, text), _assessments(data, path, text),
                          tables["hierarchy"])


def _assessments(data: dict[str, Any], path: Path, text: str) -> tuple[Assessment, ...]:
    """[assessments.<id>] with label, en and values, and [assessments.<id>.levels."<value>"] id/label/en."""
    tables = data.get("assessments", {})
    if not isinstance(tables, dict):
        raise fail_at(path, text, "assessments", None, "[assessments] must hold tables",
                      "write [assessments.<id>] tables (e.g. [assessments.inspection])")
    assessments = []
    for assessment_id, values in tables.items():
        name = f"assessments.{assessment_id}"
        if kind.IDENT(assessment_id) is not None or not isinstance(values, dict):
            raise fail_at(path, text, name, None, f"[{name}] is not an assessment table",
                          "name it by an id of lower-case ASCII letters, digits and '-', e.g. [assessments.inspection]")
        values = dict(values)
        level_tables = values.pop("levels", {})
        assessment = typed_table(Assessment, values, name, path, text, id=assessment_id)
        if not assessment.values or not assessment.label:
            raise fail_at(path, text, name, None, f"[{name}] needs a label and its values",
                          'give label = "…" and values = ["A", "B", …] (best or first first)')
        if not isinstance(level_tables, dict):
            raise fail_at(path, text, name, "levels", f"[{name}] levels must hold tables",
                          f'write [{name}.levels."<value>"] tables')
        levels = []
        for word in assessment.values:
            level_name = f'{name}.levels."{word}"'
            level = typed_table(Level, level_tables.get(word, {}), level_name, path, text, word=word)
            if level.pivot:
                raise fail_at(path, text, level_name, "pivot", "an assessment's levels have no pivot",
                              "only the evaluation scale ([results]) maps to met / not met")
            if not level.id and kind.IDENT(word.lower()) is not None:
                raise fail_at(path, text, level_name, None, f"the value '{word}' needs an id",
                              f'add [{level_name}] id = "…" (lower-case ASCII letters, digits and \'-\')')
            levels.append(Level(word, level.id or word.lower(), level.label, level.en))
        for word in level_tables:
            if word not in assessment.values:
                raise fail_at(path, text, f'{name}.levels."{word}"', None,
                              f"[{name}] values does not list '{word}'", f"add '{word}' to values, or remove it")
        assessments.append(Assessment(assessment_id, assessment.label, assessment.en, assessment.values,
                                      tuple(levels)))
    return tuple(assessments)


def _fields(values: Any, path: Path, text: str) -> dict[str, str]:
    """[fields]: a plan element's notation (as published, e.g. "III" or "1-1-1") = a field id."""
    if not isinstance(values, dict):
        raise fail_at(path, text, "fields", None, "[fields] must be a table", 'write "<notation>" = "<field id>"')
    known = field_ids()
    for notation, field_id in values.items():
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", notation):
            raise fail_at(path, text, "fields", notation, f"'{notation}' is not a plan element's notation",
                          "use the notation the element is published with, e.g. III or 1-1-1")
        if field_id not in known:
            close = difflib.get_close_matches(str(field_id), known, n=1)
            raise fail_at(path, text, "fields", notation, f"[fields] {notation} = {field_id!r:.60} is not a field",
                          f"did you mean '{close[0]}'?" if close else "known fields: " + ", ".join(known))
    return dict(values)


@cache
def field_ids() -> tuple[str, ...]:
    """The ids of the shared field classification (vocab/fields.ttl)."""
    text = FIELDS_PATH.read_text(encoding="utf-8")
    return tuple(re.findall(r"^field:([a-z-]+) a skos:Concept", text, re.M))


def check_checksum(metadata: SourceMetadata, data: bytes, source_name: str) -> None:
    expected = metadata.document.sha256
    if expected and hashlib.sha256(data).hexdigest() != expected:
        raise SourceError(
            f"{source_name} is not the file its metadata describes (sha256 differs)",
            where=str(metadata.path),
            hint="the corrections refer to lines of that exact file: update the metadata and corrections together",
        )
