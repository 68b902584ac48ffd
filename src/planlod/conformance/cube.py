"""The RDF Data Cube integrity constraints (W3C Recommendation, 2014), §11.1, after the §10 normalization.

Each constraint is the specification's ASK query turned into a SELECT of the resources that break it,
run with Oxigraph on the data together with the vocabulary that holds the structures. IC-12 (no two
observations with the same dimension values) is checked in linear time by hashing each observation's
dimension values, not with the specification's pairwise query.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from . import Failure, Rule, RuleResult, sorted_failures

SPEC = "https://www.w3.org/TR/vocab-data-cube/#"
PREFIXES = """PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

# §10.2: type and property closure (phase 1), then values pushed down to the observations (phase 2).
NORMALIZATION = (
    "INSERT { ?o rdf:type qb:Observation } WHERE { [] qb:observation ?o }",
    "INSERT { ?o rdf:type qb:Observation } WHERE { ?o qb:dataSet [] }",
    "INSERT { ?s rdf:type qb:Slice } WHERE { [] qb:slice ?s }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:DimensionProperty } WHERE { ?cs qb:dimension ?p }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:MeasureProperty } WHERE { ?cs qb:measure ?p }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:AttributeProperty } WHERE { ?cs qb:attribute ?p }",
    """INSERT { ?obs ?comp ?value } WHERE {
        ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:DataSet .
        ?dataset qb:structure [ qb:component ?spec ] ; ?comp ?value .
        ?obs qb:dataSet ?dataset }""",
    """INSERT { ?obs ?comp ?value } WHERE {
        ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:Slice .
        ?dataset qb:structure [ qb:component ?spec ] ; qb:slice ?slice .
        ?slice ?comp ?value ; qb:observation ?obs }""",
    """INSERT { ?obs ?comp ?value } WHERE {
        ?spec qb:componentProperty ?comp . ?comp a qb:DimensionProperty .
        ?dataset qb:structure [ qb:component ?spec ] ; qb:slice ?slice .
        ?slice ?comp ?value ; qb:observation ?obs }""",
)

# (id, title, section, query selecting ?focus for each resource that breaks the constraint)
CONSTRAINTS: tuple[tuple[str, str, str, str], ...] = (
    ("IC-1", "Unique DataSet", "ic-1", """SELECT DISTINCT ?focus WHERE {
        { ?focus a qb:Observation . FILTER NOT EXISTS { ?focus qb:dataSet ?d1 } }
        UNION { ?focus a qb:Observation ; qb:dataSet ?d1, ?d2 . FILTER (?d1 != ?d2) } }"""),
    ("IC-2", "Unique DSD", "ic-2", """SELECT DISTINCT ?focus WHERE {
        { ?focus a qb:DataSet . FILTER NOT EXISTS { ?focus qb:structure ?s1 } }
        UNION { ?focus a qb:DataSet ; qb:structure ?s1, ?s2 . FILTER (?s1 != ?s2) } }"""),
    ("IC-3", "DSD includes measure", "ic-3", """SELECT DISTINCT ?focus WHERE {
        ?focus a qb:DataStructureDefinition .
        FILTER NOT EXISTS { ?focus qb:component [ qb:componentProperty [ a qb:MeasureProperty ] ] } }"""),
    ("IC-4", "Dimensions have range", "ic-4", """SELECT DISTINCT ?focus WHERE {
        ?focus a qb:DimensionProperty . FILTER NOT EXISTS { ?focus rdfs:range [] } }"""),
    ("IC-5", "Concept dimensions have code lists", "ic-5", """SELECT DISTINCT ?focus WHERE {
        ?focus a qb:DimensionProperty ; rdfs:range skos:Concept . FILTER NOT EXISTS { ?focus qb:codeList [] } }"""),
    ("IC-6", "Only attributes may be optional", "ic-6", """SELECT DISTINCT ?focus WHERE {
        ?dsd qb:component ?spec . ?spec qb:componentRequired "false"^^xsd:boolean ; qb:componentProperty ?focus .
        FILTER NOT EXISTS { ?focus a qb:AttributeProperty } }"""),
    ("IC-7", "Slice Keys must be declared", "ic-7", """SELECT DISTINCT ?focus WHERE {
        ?focus a qb:SliceKey . FILTER NOT EXISTS { [ a qb:DataStructureDefinition ] qb:sliceKey ?focus } }"""),
    ("IC-8", "Slice Keys consistent with DSD", "ic-8", """SELECT DISTINCT ?focus WHERE {
        ?focus a qb:SliceKey ; qb:componentProperty ?prop . ?dsd qb:sliceKey ?focus .
        FILTER NOT EXISTS { ?dsd qb:component [ qb:componentProperty ?prop ] } }"""),
    ("IC-9", "Unique slice structure", "ic-9", """SELECT DISTINCT ?focus WHERE {
        { ?focus a qb:Slice . FILTER NOT EXISTS { ?focus qb:sliceStructure ?k } }
        UNION { ?focus a qb:Slice ; qb:sliceStructure ?k1, ?k2 . FILTER (?k1 != ?k2) } }"""),
    ("IC-10", "Slice dimensions complete", "ic-10", """SELECT DISTINCT ?focus WHERE {
        ?focus qb:sliceStructure [ qb:componentProperty ?dim ] . FILTER NOT EXISTS { ?focus ?dim [] } }"""),
    ("IC-11", "All dimensions required", "ic-11", """SELECT DISTINCT ?focus ?dim WHERE {
        ?focus qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim . ?dim a qb:DimensionProperty .
        FILTER NOT EXISTS { ?focus ?dim [] } }"""),
    ("IC-13", "Required attributes", "ic-13", """SELECT DISTINCT ?focus ?attr WHERE {
        ?focus qb:dataSet/qb:structure/qb:component ?spec .
        ?spec qb:componentRequired "true"^^xsd:boolean ; qb:componentProperty ?attr .
        FILTER NOT EXISTS { ?focus ?attr [] } }"""),
    ("IC-14", "All measures present", "ic-14", """SELECT DISTINCT ?focus ?measure WHERE {
        ?focus qb:dataSet/qb:structure ?dsd .
        FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty qb:measureType }
        ?dsd qb:component/qb:componentProperty ?measure . ?measure a qb:MeasureProperty .
        FILTER NOT EXISTS { ?focus ?measure [] } }"""),
    ("IC-15", "Measure dimension consistent", "ic-15", """SELECT DISTINCT ?focus WHERE {
        ?focus qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure .
        ?dsd qb:component/qb:componentProperty qb:measureType . FILTER NOT EXISTS { ?focus ?measure [] } }"""),
    ("IC-16", "Single measure on measure dimension observation", "ic-16", """SELECT DISTINCT ?focus WHERE {
        ?focus qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure ; ?other [] .
        ?dsd qb:component/qb:componentProperty qb:measureType ; qb:component/qb:componentProperty ?other .
        ?other a qb:MeasureProperty . FILTER (?other != ?measure) }"""),
    ("IC-17", "All measures present in measures dimension cube", "ic-17", """SELECT DISTINCT ?focus WHERE {
        { SELECT ?dsd (COUNT(?m) AS ?measures) WHERE {
            ?dsd qb:component/qb:componentProperty ?m . ?m a qb:MeasureProperty } GROUP BY ?dsd }
        { SELECT ?focus ?dsd (COUNT(DISTINCT ?obs2) AS ?count) WHERE {
            ?focus qb:dataSet/qb:structure ?dsd ; qb:dataSet ?dataset ; qb:measureType [] .
            ?obs2 qb:dataSet ?dataset ; qb:measureType [] .
            FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty ?dim . FILTER (?dim != qb:measureType)
                                ?dim a qb:DimensionProperty . ?focus ?dim ?v1 . ?obs2 ?dim ?v2 . FILTER (?v1 != ?v2) }
          } GROUP BY ?focus ?dsd }
        FILTER (?count != ?measures) }"""),
    ("IC-18", "Consistent data set links", "ic-18", """SELECT DISTINCT ?focus WHERE {
        ?dataset qb:slice ?slice . ?slice qb:observation ?focus .
        FILTER NOT EXISTS { ?focus qb:dataSet ?dataset } }"""),
    ("IC-19", "Codes from code list", "ic-19", """SELECT DISTINCT ?focus ?v WHERE {
        ?focus qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
        ?dim a qb:DimensionProperty ; qb:codeList ?list . ?focus ?dim ?v .
        FILTER ((EXISTS { ?list a skos:ConceptScheme }
                 && NOT EXISTS { ?v a skos:Concept ; skos:inScheme ?list })
                || (EXISTS { ?list a skos:Collection }
                    && NOT EXISTS { ?v a skos:Concept . ?list skos:member+ ?v })) }"""),
)
# IC-20 and IC-21 are templated on each hierarchical code list's parent-child property: an IRI (IC-20),
# or a blank node that is the owl:inverseOf one (IC-21).
HIERARCHY_LISTS = """SELECT DISTINCT ?list ?p WHERE {
    ?dim a qb:DimensionProperty ; qb:codeList ?list . ?list a qb:HierarchicalCodeList ; qb:parentChildProperty ?p .
    FILTER (isIRI(?p)) }"""
INVERSE_HIERARCHY_LISTS = """SELECT DISTINCT ?list ?p WHERE {
    ?dim a qb:DimensionProperty ; qb:codeList ?list . ?list a qb:HierarchicalCodeList ; qb:parentChildProperty ?pcp .
    FILTER (isBlank(?pcp)) ?pcp <http://www.w3.org/2002/07/owl#inverseOf> ?p }"""
IC20 = """SELECT DISTINCT ?focus ?v WHERE {{
    ?focus qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
    ?dim a qb:DimensionProperty ; qb:codeList <{list}> . ?focus ?dim ?v .
    FILTER NOT EXISTS {{ <{list}> qb:hierarchyRoot/<{p}>* ?v }} }}"""
IC21 = """SELECT DISTINCT ?focus ?v WHERE {{
    ?focus qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
    ?dim a qb:DimensionProperty ; qb:codeList <{list}> . ?focus ?dim ?v .
    FILTER NOT EXISTS {{ <{list}> qb:hierarchyRoot/^<{p}>* ?v }} }}"""
IC12 = """SELECT ?obs ?dataset ?dim ?v WHERE {
    ?obs qb:dataSet ?dataset . ?dataset qb:structure/qb:component/qb:componentProperty ?dim .
    ?dim a qb:DimensionProperty . ?obs ?dim ?v }"""


def _rule(ic: str, title: str, section: str) -> Rule:
    return Rule(f"qb:{ic}", title, SPEC + section)


def _failures(store: Any, query: str) -> tuple[Failure, ...]:
    found = []
    answer = store.query(PREFIXES + query)
    others = [v.value for v in answer.variables if v.value != "focus"]
    for solution in answer:
        values = [solution[name] for name in others if solution[name] is not None]
        found.append(Failure(str(solution["focus"].value), ", ".join(str(getattr(v, "value", v)) for v in values)))
    return sorted_failures(found)


def _duplicates(store: Any) -> tuple[Failure, ...]:
    """IC-12 in one pass: observations keyed by their data set and the full tuple of dimension values."""
    values: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for s in store.query(PREFIXES + IC12):
        values[(s["obs"].value, s["dataset"].value)].append((s["dim"].value, str(s["v"])))
    seen: dict[tuple[str, tuple[tuple[str, str], ...]], str] = {}
    failures = []
    for (obs, dataset), dims in sorted(values.items()):
        key = (dataset, tuple(sorted(dims)))
        if key in seen:
            failures.append(Failure(obs, f"same dimension values as {seen[key]}"))
        else:
            seen[key] = obs
    return tuple(failures)


def check_cube(ntriples: bytes) -> tuple[RuleResult, ...]:
    """Every integrity constraint on the given data (N-Triples), normalized first as §10 says."""
    import pyoxigraph as ox

    store: Any = ox.Store()
    store.load(ntriples, format=ox.RdfFormat.N_TRIPLES)
    for update in NORMALIZATION:
        store.update(PREFIXES + update)
    results = [RuleResult(_rule(ic, title, section), _failures(store, query))
               for ic, title, section, query in CONSTRAINTS]
    results.insert(11, RuleResult(_rule("IC-12", "No duplicate observations", "ic-12"), _duplicates(store)))
    lists = sorted((s["list"].value, s["p"].value) for s in store.query(PREFIXES + HIERARCHY_LISTS))
    results.append(RuleResult(_rule("IC-20", "Codes from hierarchy", "ic-20"), tuple(
        f for code_list, p in lists for f in _failures(store, IC20.format(list=code_list, p=p)))))
    inverse = sorted((s["list"].value, s["p"].value) for s in store.query(PREFIXES + INVERSE_HIERARCHY_LISTS))
    results.append(RuleResult(_rule("IC-21", "Codes from hierarchy (inverse)", "ic-21"), tuple(
        f for code_list, p in inverse for f in _failures(store, IC21.format(list=code_list, p=p)))))
    return tuple(results)
