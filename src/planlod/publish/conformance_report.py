"""The conformance report beside the validation report: EARL (machine-readable) and a page.

The published files are checked here, after everything else is written and before the site is swapped
in; a rule they break stops the build (FilesNotConforming). The catalog, and the index page that embeds
it, are then written again, so that they list the report as a distribution of the validation results,
and checked again.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from ..conformance import Conformance, Failure, FilesNotConforming, Rule, RuleResult, check_files
from ..conformance.files import check_embedded_file, check_jsonld_file
from ..formats import TURTLE
from ..serialize import serialize_graph
from ..vocab import EARL, bind_prefixes
from .context import PublishContext
from .files import write_file
from .pages import link_cell
from .render import Renderer

REPORT = "conformance-report.ttl"
PAGE = "conformance.html"
INTRO = ("planlod の SHACL シェイプ(検証報告)とは別に、データが従う標準そのものの規則をビルドごとに確かめた結果。"
         " Beside planlod's own SHACL shapes (the validation report), the rules of the standards the data follows,"
         " checked on every build.")


def _key(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


def earl_graph(ctx: PublishContext, checked: list[tuple[URIRef, str, Conformance]]) -> Graph:
    """One earl:Assertion per subject and rule, each with its result; IRIs, no blank nodes."""
    g = bind_prefixes(Graph())
    software = ctx.iri("software", "planlod")
    for subject, key, conformance in checked:
        for result in conformance.results:
            assertion = ctx.iri("conformance", key, _key(result.rule.id))
            outcome = URIRef(f"{assertion}/result")
            test = URIRef(result.rule.source)
            g.add((assertion, RDF.type, EARL.Assertion))
            g.add((assertion, EARL.assertedBy, software))
            g.add((assertion, EARL.subject, subject))
            g.add((assertion, EARL.test, test))
            g.add((assertion, EARL.mode, EARL.automatic))
            g.add((assertion, EARL.result, outcome))
            g.add((test, RDF.type, EARL.TestCase))
            g.add((test, DCTERMS.identifier, Literal(result.rule.id)))
            g.add((test, DCTERMS.title, Literal(result.rule.title, lang="en")))
            g.add((outcome, RDF.type, EARL.TestResult))
            g.add((outcome, EARL.outcome, EARL.passed if result.passed else EARL.failed))
            for failure in result.failures:
                g.add((outcome, DCTERMS.description, Literal(f"{failure.focus} {failure.message}".strip())))
    return g


def write_conformance(ctx: PublishContext, renderer: Renderer) -> None:
    files = check_files(ctx.out)
    if not files.conforms:
        raise FilesNotConforming(files)
    checked = [(r.dataset_iri, r.dataset_id, r.conformance) for r in ctx.reports]
    checked.append((ctx.url(""), "files", files))
    ctx.conformance_graph = earl_graph(ctx, checked)
    write_file(ctx, REPORT, serialize_graph(ctx.conformance_graph, TURTLE))
    _write_page(renderer, INTRO, [(key, str(subject), conformance) for subject, key, conformance in checked])


def _write_page(renderer: Renderer, intro: str, parts: list[tuple[str, str, Conformance]]) -> None:
    """conformance.html: where the rules come from, then each part's (heading, text, results) as a table."""
    sections: list[dict[str, object]] = [{
        "heading": "規則と出典 Rules and their sources",
        "text": intro + f" Machine-readable (EARL): {REPORT}",
        "rows": [[link_cell("EARL (Turtle)", REPORT)], [link_cell("SHACL validation report", "validation-report.ttl")]],
    }]
    for heading, text, conformance in parts:
        sections.append({
            "heading": heading, "text": text,
            "header": ["規則 rule", "内容 what it requires", "結果 outcome", "違反 failures"],
            "rows": [[link_cell(r.rule.id, r.rule.source), link_cell(r.rule.title),
                      link_cell("合格 passed" if r.passed else "不合格 failed"),
                      link_cell("; ".join(f.focus for f in r.failures[:5]))] for r in conformance.results],
        })
    renderer.page(PAGE, "page.html", title="標準への適合", title_en="Conformance to the standards",
                  sections=sections, crumbs=[{"label": "ホーム Home", "href": "index.html"}])


LARGE_INTRO = ("大きなコレクションでは、各報告をそのワーカーで一つずつ、Data Cube の整合性制約・SKOS・語彙の規則で"
               "確かめ(一つでも破れば公開しません)、規則ごとにコレクション全体の結果を示します。CSVW と JSON-LD の"
               "ファイルの確認は小さなサイトだけで行います。"
               " On a large collection each report is checked on its own, in the worker that maps it, against the Data"
               " Cube integrity constraints, SKOS and the vocabulary (a report that breaks one is not published), and"
               " each rule's outcome is given for the whole collection. The CSVW and JSON-LD checks of the files run"
               " on small sites only.")


def write_collection_conformance(ctx: PublishContext, renderer: Renderer) -> None:
    """A large site's conformance report: each rule's outcome for the collection (its dataset the EARL subject),
    from every report's results, in a report's size rather than 33 assertions a report (63,000 at 1,000,000
    evaluations, all of them passed: a report that fails one is not published)."""
    from .dumps import COLLECTION_ID

    failures: dict[Rule, list[Failure]] = {}   # the rules in their order, each with every report's failures
    for report in ctx.reports:
        for result in report.conformance.results:
            failures.setdefault(result.rule, []).extend(result.failures)
    combined = Conformance(tuple(RuleResult(rule, tuple(found)) for rule, found in failures.items()))
    collection = ctx.iri("dataset", COLLECTION_ID)
    ctx.conformance_graph = earl_graph(ctx, [(collection, "collection", combined)])
    n = len(ctx.reports)
    for outcome in list(ctx.conformance_graph.subjects(RDF.type, EARL.TestResult)):
        ctx.conformance_graph.add((outcome, DCTERMS.description, Literal(f"{n} 件の報告をそれぞれ確認", lang="ja")))
        ctx.conformance_graph.add((outcome, DCTERMS.description, Literal(f"each of the {n} reports checked",
                                                                         lang="en")))
    write_file(ctx, REPORT, serialize_graph(ctx.conformance_graph, TURTLE))
    _write_page(renderer, LARGE_INTRO, [(f"{n} 件の報告 reports", str(collection), combined)])


def check_new_pages(ctx: PublishContext, pages: list[str]) -> None:
    """Pages written after the file checks (those of the catalog's and the reports' resources): their
    embedded JSON-LD and JSON-LD twins are checked the same way before the site is swapped in."""
    results = []
    for page in pages:
        results.append(check_embedded_file(ctx.out, ctx.out / page))
        twin = ctx.out / page.replace("index.html", "index.jsonld")
        if twin.is_file():
            results.append(check_jsonld_file(ctx.out, twin))
    failed = Conformance(tuple(r for r in results if not r.passed))
    if not failed.conforms:
        raise FilesNotConforming(failed)


def recheck_catalog(ctx: PublishContext) -> None:
    """The catalog and the index written again (now listing the conformance report) are checked again."""
    again = Conformance((check_jsonld_file(ctx.out, ctx.out / "catalog.jsonld"),
                         check_embedded_file(ctx.out, ctx.out / "index.html")))
    if not again.conforms:
        raise FilesNotConforming(again)
