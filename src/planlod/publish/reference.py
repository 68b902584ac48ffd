"""The reference pages: the vocabulary and the SHACL shapes, each term and shape with its labels."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from ..bundled import SHAPES_PATH, VOCAB_PATH
from ..formats import JSON_LD, TURTLE
from ..vocab import VOCAB_IRI
from .pages import link_cell
from .render import Renderer


def write_vocab_page(renderer: Renderer) -> None:
    vocab, page = Graph().parse(VOCAB_PATH), "vocab/index.html"
    rows = []
    # Every hash IRI of the vocabulary, component specifications of the structures included: each has a row.
    terms = {s for s in vocab.subjects() if isinstance(s, URIRef) and str(s).startswith(VOCAB_IRI + "#")}
    for term in sorted(terms):
        labels = {
            o.language: str(o)
            for p in (RDFS.label, SKOS.prefLabel)
            for o in vocab.objects(term, p)
            if isinstance(o, Literal)
        }
        notes = {
            o.language: str(o)
            for p in (RDFS.comment, SKOS.definition)
            for o in vocab.objects(term, p)
            if isinstance(o, Literal)
        }
        kinds = ", ".join(
            sorted(renderer.ctx.graph.namespace_manager.normalizeUri(str(t)) for t in vocab.objects(term, RDF.type))
        )
        rows.append(
            [
                # def#Activity lands here: the cell's id is the term's local name, and it links to itself.
                link_cell(vocab.namespace_manager.normalizeUri(term), "#" + term.split("#")[-1], term.split("#")[-1]),
                link_cell(kinds),
                link_cell(labels.get("ja")),
                link_cell(labels.get("en")),
                link_cell(notes.get("ja")),
                link_cell(notes.get("en")),
            ]
        )
    ontology = next(vocab.subjects(RDF.type, OWL.Ontology))
    sections = [
        {
            "heading": "概要 About",
            "text": str(vocab.value(ontology, URIRef("http://purl.org/dc/terms/description"))),
            "rows": [
                [link_cell("Turtle", "planlod.ttl")],
                [link_cell("JSON-LD", "planlod.jsonld")],
                [link_cell("JSON-LD context", "context.jsonld")],
                [link_cell("SHACL shapes", "../shapes/index.html")],
            ],
        },
        {"heading": "用語 Terms", "header": ["term", "kind", "ja", "en", "定義", "definition"], "rows": rows},
    ]
    renderer.page(
        page,
        "page.html",
        title="planlod 語彙",
        title_en="planlod vocabulary",
        sections=sections,
        alternates=[
            {"media_type": TURTLE.media_type, "href": "planlod.ttl"},
            {"media_type": JSON_LD.media_type, "href": "planlod.jsonld"},
        ],
        crumbs=[{"label": "ホーム Home", "href": "../index.html"}],
    )


def write_shapes_page(renderer: Renderer) -> None:
    shapes, page = Graph().parse(SHAPES_PATH), "shapes/index.html"
    rows = []
    named = {s for kind in (SH.NodeShape, SH.PropertyShape) for s in shapes.subjects(RDF.type, kind)}
    for shape in sorted(s for s in named if isinstance(s, URIRef)):
        target = (shapes.value(shape, SH.targetClass) or shapes.value(shape, SH.targetObjectsOf)
                  or shapes.value(shape, SH.path))
        messages = {
            o.language: str(o)
            for holder in [shape, *shapes.objects(shape, SH.property), *shapes.objects(shape, SH.sparql)]
            for o in shapes.objects(holder, SH.message)
            if isinstance(o, Literal)
        }
        name = shape.split("#")[-1]
        rows.append(
            [
                link_cell(shapes.namespace_manager.normalizeUri(shape), "#" + name, name),
                link_cell(shapes.namespace_manager.normalizeUri(str(target)) if target else ""),
                link_cell(messages.get("ja")),
                link_cell(messages.get("en")),
            ]
        )
    sections = [
        {
            "heading": "ファイル Files",
            "rows": [[link_cell("Turtle", "planlod-shapes.ttl")], [link_cell("JSON-LD", "planlod-shapes.jsonld")]],
        },
        {"heading": "シェイプ Shapes", "header": ["shape", "target / path", "例 (ja)", "example (en)"], "rows": rows},
    ]
    renderer.page(
        page,
        "page.html",
        title="planlod SHACL シェイプ",
        title_en="planlod SHACL shapes",
        sections=sections,
        crumbs=[{"label": "ホーム Home", "href": "../index.html"}],
        alternates=[
            {"media_type": TURTLE.media_type, "href": "planlod-shapes.ttl"},
            {"media_type": JSON_LD.media_type, "href": "planlod-shapes.jsonld"},
        ],
    )
