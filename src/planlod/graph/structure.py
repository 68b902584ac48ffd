"""Organisations, the plan's hierarchy and its evaluation scale."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import cache

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, SKOS, XSD

from ..bundled import FIELDS_PATH
from ..records import element_paths
from ..vocab import CV, PLANLOD, SAC
from .context import MappingContext
from .iris import literal

Triple = tuple[URIRef, URIRef, URIRef | Literal]


def _labels(subject: URIRef, ja: str, en: str | None, prop: URIRef = SKOS.prefLabel) -> Iterator[Triple]:
    if ja:
        yield subject, prop, literal(ja, lang="ja")
    if en:
        yield subject, prop, literal(en, lang="en")


def organisation_rule(ctx: MappingContext) -> Iterator[Triple]:
    pub = ctx.table.metadata.publisher
    office = ctx.iris.ward_office()
    yield office, RDF.type, ORG.OrganizationalUnit if ctx.iris.city_code else ORG.FormalOrganization
    yield office, RDF.type, CV.PublicOrganisation
    yield office, RDF.type, FOAF.Organization
    yield office, DCTERMS.identifier, literal(ctx.iris.ward_code)
    yield from _labels(office, pub.office_name, pub.office_name_en)
    if pub.ward_sac:
        yield office, DCTERMS.spatial, SAC[pub.ward_sac]
    if pub.homepage:
        yield office, FOAF.homepage, URIRef(pub.homepage)
    if ctx.iris.city_code:
        city = ctx.iris.city()
        yield city, RDF.type, ORG.FormalOrganization
        yield city, RDF.type, CV.PublicOrganisation
        yield city, RDF.type, FOAF.Organization
        yield city, DCTERMS.identifier, literal(ctx.iris.city_code)
        yield from _labels(city, pub.city_name, pub.city_name_en)
        if pub.city_sac:
            yield city, DCTERMS.spatial, SAC[pub.city_sac]
        yield office, ORG.unitOf, city
        yield city, ORG.hasUnit, office
    for name, key in sorted(ctx.department_ids.items()):
        unit = ctx.iris.department(key)
        yield unit, RDF.type, ORG.OrganizationalUnit
        yield unit, RDF.type, FOAF.Organization
        yield unit, DCTERMS.identifier, literal(key)
        department = ctx.table.metadata.departments.get(name)
        yield from _labels(unit, name, department.en if department else "")
        yield unit, ORG.unitOf, office
        yield office, ORG.hasUnit, unit


def scale_rule(ctx: MappingContext) -> Iterator[Triple]:
    plan, scale = ctx.iris.plan(), ctx.iris.scale()
    yield plan, PLANLOD.evaluationScale, scale
    yield scale, RDF.type, SKOS.ConceptScheme
    words = "/".join(ctx.table.results)
    yield from _labels(scale, f"評価({words})", f"evaluation scale ({words})")
    pivots = {"met": PLANLOD.met, "not-met": PLANLOD.notMet}
    # The shared concepts this data points to are described here too, so that the data alone
    # carries their types and labels (sh:class and readers without the vocabulary need them).
    yield PLANLOD.resultPivot, RDF.type, SKOS.ConceptScheme
    yield from _labels(PLANLOD.resultPivot, "評価の共通尺度", "shared evaluation pivot")
    yield PLANLOD.resultCategories, RDF.type, SKOS.Collection
    yield PLANLOD.resultCategories, SKOS.member, PLANLOD.allResults
    for concept, ja, en in ((PLANLOD.met, "達成", "met"), (PLANLOD.notMet, "未達成", "not met"),
                            (PLANLOD.allResults, "合計", "all results")):
        yield concept, RDF.type, SKOS.Concept
        yield from _labels(concept, ja, en)
        # 合計 (all results) is the pivot's third concept: every evaluation, met or not.
        yield concept, SKOS.inScheme, PLANLOD.resultPivot
        yield concept, SKOS.topConceptOf, PLANLOD.resultPivot
        yield PLANLOD.resultPivot, SKOS.hasTopConcept, concept
    levels = [ctx.table.metadata.level(word) for word in ctx.table.results]
    sharing = Counter(level.pivot for level in levels)
    for rank, level in enumerate(levels, 1):
        concept = ctx.result_iri(level.word)
        yield concept, RDF.type, SKOS.Concept
        yield concept, SKOS.inScheme, scale
        yield PLANLOD.resultCategories, SKOS.member, concept
        yield concept, SKOS.topConceptOf, scale
        yield scale, SKOS.hasTopConcept, concept
        yield concept, SKOS.notation, literal(level.word)
        yield concept, PLANLOD.rank, literal(rank, datatype=XSD.positiveInteger)
        yield from _labels(concept, level.label or level.word, level.en)
        if level.label:
            yield concept, SKOS.altLabel, literal(level.word, lang="ja")
        if level.pivot in pivots:
            # The same meaning only where one level alone stands for the pivot; a finer level is narrower.
            mapping = SKOS.exactMatch if sharing[level.pivot] == 1 else SKOS.broadMatch
            yield concept, mapping, pivots[level.pivot]


def assessment_rule(ctx: MappingContext) -> Iterator[Triple]:
    """Each further evaluation dimension of the plan (点検結果, …) as a scheme of ordered levels."""
    for assessment in ctx.table.metadata.assessments:
        scheme = ctx.iris.assessment(assessment.id)
        yield ctx.iris.plan(), PLANLOD.assessmentScheme, scheme
        yield scheme, RDF.type, SKOS.ConceptScheme
        yield scheme, DCTERMS.identifier, literal(assessment.id)
        yield from _labels(scheme, assessment.label, assessment.en)
        for rank, level in enumerate(assessment.levels, 1):
            concept = ctx.iris.assessment(assessment.id, level.id)
            yield concept, RDF.type, SKOS.Concept
            yield concept, SKOS.inScheme, scheme
            yield PLANLOD.resultCategories, SKOS.member, concept
            yield concept, SKOS.topConceptOf, scheme
            yield scheme, SKOS.hasTopConcept, concept
            yield concept, SKOS.notation, literal(level.word)
            yield concept, PLANLOD.rank, literal(rank, datatype=XSD.positiveInteger)
            yield from _labels(concept, level.label or level.word, level.en)
            if level.label:
                yield concept, SKOS.altLabel, literal(level.word, lang="ja")


def hierarchy_rule(ctx: MappingContext) -> Iterator[Triple]:
    """What the plan calls each level (基本政策, 施策課題, …): a SKOS collection of the level's elements,
    named as the plan names it. Only where the metadata says ([hierarchy])."""
    names, plan = ctx.table.metadata.hierarchy, ctx.iris.plan()
    members: dict[str, list[URIRef]] = {"goal": [], "policy": [], "measure": [], "project": [], "activity": []}
    for goal in ctx.table.goals:
        members["goal"].append(ctx.iris.goal(goal.numeral))
        for policy in goal.policies:
            members["policy"].append(ctx.iris.policy(goal.numeral, policy.ordinal))
            members["measure"] += [ctx.iris.measure(goal.numeral, policy.ordinal, m.number) for m in policy.measures]
    for key in ctx.keys:
        members["project"].append(ctx.iris.plan(*key.project_path))
        if not key.whole_project:
            members["activity"].append(ctx.iris.activity(key))
    for level, elements in members.items():
        ja, en = getattr(names, level), getattr(names, level + "_en")
        if not ja or not elements:
            continue
        collection = ctx.iris.plan("level", level)
        yield plan, PLANLOD.hierarchyLevel, collection
        yield collection, RDF.type, SKOS.Collection
        yield from _labels(collection, ja, en)
        for element in elements:
            yield collection, SKOS.member, element
    yield from _labels(plan, names.note, names.note_en, SKOS.scopeNote)


def plan_rule(ctx: MappingContext) -> Iterator[Triple]:
    meta, iris = ctx.table.metadata, ctx.iris
    plan = iris.plan()
    yield plan, RDF.type, PLANLOD.Plan
    yield plan, RDF.type, SKOS.ConceptScheme
    yield plan, DCTERMS.identifier, literal(iris.plan_id)
    title, title_en = meta.plan.full_title, meta.plan.full_title_en
    yield from _labels(plan, title, title_en)
    yield from _labels(plan, title, title_en, DCTERMS.title)
    yield plan, DCTERMS.publisher, iris.ward_office()
    if meta.publisher.ward_sac:
        yield plan, DCTERMS.spatial, SAC[meta.publisher.ward_sac]
    for goal in ctx.table.goals:
        g = iris.goal(goal.numeral)
        yield from _element(g, PLANLOD.Goal, plan, goal.title, goal.numeral)
        yield g, SKOS.topConceptOf, plan
        yield plan, SKOS.hasTopConcept, g
        for policy in goal.policies:
            p = iris.policy(goal.numeral, policy.ordinal)
            yield from _element(p, PLANLOD.Policy, plan, policy.title, f"{goal.numeral}-{policy.ordinal}", g)
            if policy.description:
                yield p, DCTERMS.description, literal(policy.description, lang="ja")
            for measure in policy.measures:
                m = iris.measure(goal.numeral, policy.ordinal, measure.number)
                notation = f"{goal.numeral}-{policy.ordinal}-{measure.number}"
                yield from _element(m, PLANLOD.Measure, plan, measure.title, notation, p)
                for text in measure.directions:
                    yield m, PLANLOD.directionText, literal(text, lang="ja")


FIELD = "https://w3id.org/planlod/def/field"


def field_rule(ctx: MappingContext) -> Iterator[Triple]:
    """Plan elements mapped to the shared field classification, and the fields used (so the data alone
    carries their labels, as for the pivot)."""
    fields = ctx.table.metadata.fields
    if not fields:
        return
    paths = element_paths(ctx.table.goals)
    labels = field_labels()
    for notation, field_id in sorted(fields.items()):
        if notation not in paths:
            continue  # an element of another year's edition: not in this report (checked when read)
        concept = URIRef(f"{FIELD}/{field_id}")
        yield ctx.iris.element(*paths[notation]), PLANLOD.field, concept
        yield concept, RDF.type, SKOS.Concept
        yield concept, SKOS.inScheme, URIRef(FIELD)
        yield concept, SKOS.topConceptOf, URIRef(FIELD)
        yield URIRef(FIELD), SKOS.hasTopConcept, concept
        yield from _labels(concept, *labels[field_id])
    yield URIRef(FIELD), RDF.type, SKOS.ConceptScheme
    yield from _labels(URIRef(FIELD), "目的別歳出の区分", "purpose classification of municipal spending")


@cache
def field_labels() -> dict[str, tuple[str, str]]:
    from rdflib import Graph

    graph = Graph().parse(FIELDS_PATH)
    labels: dict[str, dict[str, str]] = {}
    for concept, label in graph.subject_objects(SKOS.prefLabel):
        if str(concept).startswith(FIELD + "/") and isinstance(label, Literal):
            labels.setdefault(str(concept).rsplit("/", 1)[1], {})[label.language or ""] = str(label)
    return {key: (value.get("ja", ""), value.get("en", "")) for key, value in labels.items()}


def project_rule(ctx: MappingContext) -> Iterator[Triple]:
    plan = ctx.iris.plan()
    # A project's outline cell may be split per activity row; when its rows print different outlines,
    # each belongs to its activity, and the project gets none rather than a guessed one.
    outlines: dict[URIRef, set[str]] = {}
    for a, key in zip(ctx.table.activities, ctx.keys, strict=True):
        outlines.setdefault(ctx.iris.plan(*key.project_path), set()).add(a.project_outline)
    done: set[URIRef] = set()
    for a, key in zip(ctx.table.activities, ctx.keys, strict=True):
        project = ctx.iris.plan(*key.project_path)
        shared = outlines[project]
        if project not in done:
            done.add(project)
            measure = ctx.iris.measure(a.goal, a.policy, a.measure)
            notation = f"{a.goal}-{a.policy}-{a.measure}-{key.project}"
            yield from _element(project, PLANLOD.Project, plan, a.project_name, notation, measure)
            if len(shared) == 1 and a.project_outline:
                yield project, DCTERMS.description, literal(a.project_outline, lang="ja")
            yield project, PLANLOD.covidAffected, literal(a.covid)
        evaluated = ctx.iris.activity(key)
        if not key.whole_project:
            yield from _element(evaluated, PLANLOD.Activity, plan, a.activity, key.slug, project)
            if len(shared) > 1 and a.project_outline:
                yield evaluated, DCTERMS.description, literal(a.project_outline, lang="ja")
        if a.department:
            yield evaluated, PLANLOD.responsibleUnit, ctx.department_iri(a.department)


def _element(node: URIRef, cls: URIRef, plan: URIRef, label: str, notation: str,
             broader: URIRef | None = None) -> Iterator[Triple]:
    yield node, RDF.type, cls
    yield node, RDF.type, SKOS.Concept
    yield node, SKOS.inScheme, plan
    yield node, SKOS.notation, literal(notation)
    if label:
        yield node, SKOS.prefLabel, literal(label, lang="ja")
    if broader is not None:
        yield node, SKOS.broader, broader
