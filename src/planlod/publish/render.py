"""Shared rendering helpers: the jinja2 environment, relative links, labels of terms."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD
from rdflib.term import Node

from ..bundled import VOCAB_PATH
from ..formats import BY_SUFFIX
from ..serialize import serialize_graph
from .context import PublishContext
from .files import write_file
from .index import GraphIndex

TEMPLATES = Path(__file__).parent / "templates"
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


# Text nodes of markup-less or code elements are left alone: <title> and <option> hold no elements.
_RAW = re.compile(r"(<(script|style|pre|textarea|title|option)\b.*?</\2>)", re.S)
_TEXT = re.compile(r">([^<>]+)<")
# Japanese, a space, then English to the end of the text node: '集計 Tallies', '令和2年度 FY2020'.
_ENGLISH_TAIL = re.compile(r"^(.*[\u3000-\u9fff\uff00-\uffef].*?)(\s+)([A-Za-z][\x20-\x7e]*?)(\s*)$", re.S)


def mark_english(html: str) -> str:
    """Every bilingual text ('集計 Tallies') with its English part in <span lang="en">, so that screen readers
    and translators know the language of each part (the pages are lang="ja")."""
    def text(match: re.Match[str]) -> str:
        found = _ENGLISH_TAIL.match(match.group(1))
        if not found or not re.search(r"[A-Za-z]{2}", found.group(3)):
            return match.group(0)
        head, gap, english, end = found.groups()
        return f'>{head}{gap}<span lang="en">{english}</span>{end}<'

    parts = _RAW.split(html)   # text, raw element, its name, text, …
    return "".join(part if i % 3 == 1 else "" if i % 3 == 2 else _TEXT.sub(text, part)
                   for i, part in enumerate(parts))


def safe_href(target: str | None) -> str | None:
    """`target` if it may be a link: relative within the site, or http(s); never javascript:, data: etc."""
    if not target or _CONTROL.search(target):
        return None
    scheme = urlsplit(target).scheme.lower()
    if scheme in ("http", "https"):
        return target if urlsplit(target).netloc else None
    return target if scheme == "" and not target.startswith("//") else None

PROPERTY_LABELS = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": "種類 type",
    "http://www.w3.org/2004/02/skos/core#prefLabel": "名称 name",
    "http://www.w3.org/2004/02/skos/core#notation": "記号 notation",
    "http://www.w3.org/2004/02/skos/core#broader": "上位 broader",
    "http://www.w3.org/2004/02/skos/core#inScheme": "計画・尺度 scheme",
    "http://purl.org/dc/terms/description": "説明 description",
    "http://purl.org/dc/terms/title": "題名 title",
    "http://purl.org/dc/terms/identifier": "識別子 identifier",
    "http://purl.org/dc/terms/publisher": "発行者 publisher",
    "http://purl.org/dc/terms/spatial": "地域 area",
    "http://www.w3.org/ns/org#unitOf": "所属 unit of",
    "http://www.w3.org/ns/org#hasUnit": "組織単位 has unit",
    "http://purl.org/linked-data/sdmx/2009/dimension#refPeriod": "年度 period",
    "http://purl.org/linked-data/cube#dataSet": "データセット data set",
    "http://www.w3.org/ns/prov#wasDerivedFrom": "出典 derived from",
}


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def rel(from_page: str, to_path: str) -> str:
    return posixpath.relpath(to_path, posixpath.dirname(from_page) or ".")


def root_of(page: str) -> str:
    return "../" * page.count("/")


def script_json(text: str) -> str:
    """JSON for a <script> element: '<' escaped so no '</script>' can end it early."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class Renderer:
    def __init__(self, ctx: PublishContext, index: GraphIndex) -> None:
        self.ctx, self.index, self.env = ctx, index, environment()
        self.cache: dict[type, object] = {}   # what pages compute once from the index (figures.Figures)
        vocab = Graph().parse(VOCAB_PATH)
        self.term_labels = dict(PROPERTY_LABELS)
        for term in set(vocab.subjects(RDFS.label, None)):
            labels = {x.language: str(x) for x in vocab.objects(term, RDFS.label) if isinstance(x, Literal)}
            self.term_labels[str(term)] = f"{labels.get('ja', '')} {labels.get('en', '')}".strip()

    def term_label(self, iri: Node) -> str:
        text = str(iri)
        if text in self.term_labels:
            return self.term_labels[text]
        try:
            return self.ctx.graph.namespace_manager.normalizeUri(URIRef(text))
        except Exception:
            return text

    def href(self, page: str, node: Node) -> str | None:
        if not isinstance(node, URIRef):
            return None
        doc = self.ctx.doc_path(str(node))
        if doc is not None and self.index.outgoing.get(node):
            return rel(page, doc)
        return safe_href(str(node)) if str(node).startswith(("http://", "https://")) else None

    def value(self, page: str, node: Node) -> dict[str, Any]:
        if isinstance(node, Literal):
            if node.datatype == XSD.boolean:   # said in words, never as 'true'
                return {"text": "はい yes" if node.value else "いいえ no", "href": None, "lang": None}
            return {"text": str(node), "href": None, "lang": node.language}
        known = isinstance(node, URIRef) and bool(self.index.outgoing.get(node))
        text = self.index.label(node) if known else self.term_label(node)
        return {"text": text, "href": self.href(page, node), "lang": None}

    def page(self, relative: str, template: str, **values: Any) -> None:
        values.setdefault("root", root_of(relative))
        values.setdefault("alternates", [])
        values.setdefault("jsonld", "")
        values.setdefault("crumbs", [])
        values.setdefault("title_en", "")
        values.setdefault("footer", self.footer())
        values.setdefault("full_site", self.ctx.pages)   # a large site has no comparison and search pages
        html = mark_english(self.env.get_template(template).render(**values))
        write_file(self.ctx, relative, html)

    def footer(self) -> str:
        # The same on every page, so that adding a report to the collection changes no page of another.
        return ("出典・ライセンス・検証は各報告のページとデータのページに。 Sources, licences (as far as known) and "
                "validation: see each report and the data page. Built by planlod.")

    def twins(self, folder: str, graph: Graph) -> list[dict[str, str]]:
        """index.ttl and index.jsonld beside a page; returns the <link rel=alternate> entries."""
        links = []
        for suffix in (".ttl", ".jsonld"):
            rdf_format = BY_SUFFIX[suffix]
            write_file(self.ctx, f"{folder}/index{suffix}", serialize_graph(graph, rdf_format), rdf_format.media_type)
            links.append({"media_type": rdf_format.media_type, "href": f"index{suffix}"})
        return links

    @staticmethod
    def embedded(graph: Graph) -> str:
        return script_json(
            json.dumps(json.loads(serialize_graph(graph, BY_SUFFIX[".jsonld"])), ensure_ascii=False, sort_keys=True)
        )
