"""The agents, codes and documents the catalog points to, typed and labelled as the DCAT-AP 3.0.1 shapes
and harvesters (ckanext-dcat) expect: EU authority codes with their scheme and label, the ADMS publisher
and licence types, a publisher with its vCard contact point."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS

from ..vocab import VCARD
from .harvest import LICENCE_TITLES

EU = "http://publications.europa.eu/resource/authority/"
ADMS_PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
ADMS_LICENCE_TYPE = "http://purl.org/adms/licencetype/"


def eu_code(graph: Graph, scheme: str, code: str, label: str) -> URIRef:
    """An EU authority code, with its scheme and label in the graph (the DCAT-AP MDR shapes check them)."""
    iri = URIRef(f"{EU}{scheme}/{code}")
    graph.add((iri, SKOS.inScheme, URIRef(EU + scheme)))
    graph.add((iri, SKOS.prefLabel, Literal(label, lang="en")))
    graph.add((iri, RDF.type, SKOS.Concept))
    return iri


def both_languages(graph: Graph, node: URIRef, prop: URIRef, ja: str, en: str) -> None:
    graph.add((node, prop, Literal(ja, lang="ja")))
    graph.add((node, prop, Literal(en, lang="en")))


def agent_with_contact(g: Graph, agent: URIRef, name: str, name_en: str, homepage: str) -> URIRef:
    """A publisher, with the contact point DCAT-AP recommends beside it."""
    g.add((agent, RDF.type, FOAF.Agent))
    g.add((agent, RDF.type, FOAF.Organization))
    both_languages(g, agent, FOAF.name, name, name_en)
    g.add((agent, DCTERMS.type, local_authority_type(g)))
    contact = contact_of(agent)
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, RDF.type, VCARD.Kind))
    both_languages(g, contact, VCARD.fn, name, name_en)
    if homepage:
        g.add((contact, VCARD.hasURL, URIRef(homepage)))
    return agent


def contact_of(agent: URIRef) -> URIRef:
    return URIRef(f"{agent}/contact")


def japanese_language(g: Graph) -> URIRef:
    language = eu_code(g, "language", "JPN", "Japanese")
    g.add((language, RDF.type, DCTERMS.LinguisticSystem))
    return language


def licence_document(g: Graph, url: str) -> URIRef:
    licence = URIRef(url)
    g.add((licence, RDF.type, DCTERMS.LicenseDocument))
    if url in LICENCE_TITLES:   # how CKAN's licence register knows it (harvest.py)
        g.add((licence, DCTERMS.title, Literal(LICENCE_TITLES[url], lang="en")))
    attribution = URIRef(ADMS_LICENCE_TYPE + "Attribution")
    g.add((licence, DCTERMS.type, attribution))
    g.add((attribution, SKOS.inScheme, URIRef(ADMS_LICENCE_TYPE + "1.0")))
    g.add((attribution, SKOS.prefLabel, Literal("Attribution", lang="en")))
    g.add((attribution, RDF.type, SKOS.Concept))
    return licence


def local_authority_type(g: Graph) -> URIRef:
    local = URIRef(ADMS_PUBLISHER_TYPE + "LocalAuthority")
    g.add((local, SKOS.inScheme, URIRef(ADMS_PUBLISHER_TYPE + "1.0")))
    g.add((URIRef(ADMS_PUBLISHER_TYPE + "1.0"), RDF.type, SKOS.ConceptScheme))
    g.add((URIRef(ADMS_PUBLISHER_TYPE + "1.0"), DCTERMS.title, Literal("Publisher type", lang="en")))
    g.add((local, SKOS.prefLabel, Literal("Local Authority", lang="en")))
    g.add((local, RDF.type, SKOS.Concept))
    return local
