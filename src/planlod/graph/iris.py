"""Stable, ASCII IRIs from natural keys, under a configurable base.

Things live under {base}id/…, their HTML/RDF documents under {base}doc/… (the site's resource pages):
  id/org/151076                                   the ward office (municipality code)
  id/org/151076/somu-ka                           one of its departments
  id/plan/151076/vision-3                         the plan (ward code + plan id)
  id/plan/151076/vision-3/goal/III/policy/1/measure/2/project/3/activity/1
  id/plan/151076/vision-3/scale/achieved          a concept of the plan's evaluation scale
  id/report/151076/vision-3/fy2020                the FY2020 progress report
  id/report/151076/vision-3/fy2020/evaluations/III-1-2-3-1
  id/fiscal-year/2020, id/date/2020-04-01
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from rdflib import Literal, URIRef

from ..errors import PlanlodError

DEFAULT_BASE = "https://w3id.org/planlod/"
_SAFE = re.compile(r"^[A-Za-z0-9._~-]+$")


def check_base(base: str) -> str:
    if not re.match(r"^https?://[^\s/]+(/[^\s]*)?/$", base) or not base.isascii():
        raise PlanlodError(f"'{base}' is not a usable base IRI", hint="give an ASCII http(s) IRI ending in '/'")
    return base


@lru_cache(maxsize=1 << 16)
def mint_iri(base: str, *parts: str | int) -> URIRef:
    """{base}a/b/c; every part must already be an ASCII key (or is percent-encoded). Cached: a report
    mints most IRIs several times, and the same object again makes the dictionaries' lookups identity hits."""
    segments = []
    for part in parts:
        text = str(part)
        segments.append(text if _SAFE.match(text) else quote(text, safe=""))
    return URIRef(base + "/".join(segments))


# The mapping's literals, made once each: rdflib's Literal() parses and checks its value (~5 µs, a tenth of a
# report's mapping; line numbers, quantities, labels and flags recur across rows and reports), and the same
# object again makes the writer's and the index's lookups identity hits. typed: 1, 1.0 and True stay apart.
literal = lru_cache(maxsize=1 << 16, typed=True)(Literal)


@dataclass(frozen=True, slots=True)
class ActivityKey:
    """Where an evaluation row sits: its project's keys, and its activity's ordinal within the project
    (0 when the project is evaluated as a whole, having no 事業内容 level)."""

    goal: str
    policy: str
    measure: str
    project: str
    ordinal: int

    def __reduce__(self) -> tuple[type[ActivityKey], tuple[str, str, str, str, int]]:
        # pickled by its fields (a worker sends it): compiled by mypyc, a frozen dataclass cannot be
        # restored field by field
        return (ActivityKey, (self.goal, self.policy, self.measure, self.project, self.ordinal))

    @property
    def whole_project(self) -> bool:
        return self.ordinal == 0

    @property
    def project_path(self) -> tuple[str | int, ...]:
        return ("goal", self.goal, "policy", self.policy, "measure", self.measure, "project", self.project)

    @property
    def path(self) -> tuple[str | int, ...]:
        return self.project_path if self.whole_project else (*self.project_path, "activity", self.ordinal)

    @property
    def slug(self) -> str:
        project = f"{self.goal}-{self.policy}-{self.measure}-{self.project}"
        return project if self.whole_project else f"{project}-{self.ordinal}"


def project_key(number: str, name: str) -> str:
    """The printed 事業番号, or, where none is printed, a key derived from the project's name: 'n-' and the
    first 10 hex digits of the SHA-256 of the name (NFC). Stable across editions while the name stays."""
    if number:
        return number
    digest = hashlib.sha256(unicodedata.normalize("NFC", name.strip()).encode("utf-8")).hexdigest()
    return f"n-{digest[:10]}"


@dataclass(frozen=True, slots=True)
class IriScheme:
    base: str
    ward_code: str
    city_code: str
    plan_id: str
    fiscal_year: int

    def __reduce__(self) -> tuple[type[IriScheme], tuple[str, str, str, str, int]]:
        # pickled by its fields (a worker sends it): compiled by mypyc, a frozen dataclass cannot be
        # restored field by field
        return (IriScheme, (self.base, self.ward_code, self.city_code, self.plan_id, self.fiscal_year))

    def iri(self, *parts: str | int) -> URIRef:
        return mint_iri(self.base, "id", *parts)

    # organisations
    def city(self) -> URIRef:
        return self.iri("org", self.city_code)

    def ward_office(self) -> URIRef:
        return self.iri("org", self.ward_code)

    def department(self, key: str) -> URIRef:
        return self.iri("org", self.ward_code, key)

    # the plan
    def plan(self, *parts: str | int) -> URIRef:
        return self.iri("plan", self.ward_code, self.plan_id, *parts)

    def element(self, *path: str) -> URIRef:
        """A goal, policy or measure by its path of notations: ('III',), ('III', '1'), ('III', '1', '2')."""
        return self.plan(*[part for pair in zip(("goal", "policy", "measure"), path, strict=False) for part in pair])

    def goal(self, numeral: str) -> URIRef:
        return self.plan("goal", numeral)

    def policy(self, numeral: str, policy: str) -> URIRef:
        return self.plan("goal", numeral, "policy", policy)

    def measure(self, numeral: str, policy: str, measure: str) -> URIRef:
        return self.plan("goal", numeral, "policy", policy, "measure", measure)

    def project(self, numeral: str, policy: str, measure: str, project: str) -> URIRef:
        return self.plan("goal", numeral, "policy", policy, "measure", measure, "project", project)

    def activity(self, key: ActivityKey) -> URIRef:
        return self.plan(*key.path)

    def scale(self, concept: str | None = None) -> URIRef:
        return self.plan("scale", concept) if concept else self.plan("scale")

    def assessment(self, assessment_id: str, concept: str | None = None) -> URIRef:
        return self.plan("assessment", assessment_id, *([concept] if concept else []))

    # the yearly report and its data
    def report(self, *parts: str | int) -> URIRef:
        return self.iri("report", self.ward_code, self.plan_id, f"fy{self.fiscal_year}", *parts)

    def fiscal_year_iri(self, year: int) -> URIRef:
        return self.iri("fiscal-year", year)

    def date(self, iso: str) -> URIRef:
        return self.iri("date", iso)

    def software(self) -> URIRef:
        return self.iri("software", "planlod")
