"""The large path (large.py): the same data as the small path, streamed, with an on-disk store."""

from __future__ import annotations

import contextlib
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner, Result
from rdflib import RDF, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, SH

from planlod.bundled import BUNDLED_CATALOG
from planlod.cli import main
from planlod.collection import find_sources
from planlod.graph import build_graph
from planlod.large import STORE_DIR
from planlod.pipeline import build_site, read_reports
from planlod.queries import read_query, run_query, site_store
from planlod.serve import EndpointSettings, ServerSettings, create_server

from .conftest import HERE, without_lang_marks

sys.path.insert(0, str(HERE.parent / "benchmarks"))
from synthetic import write_collection  # noqa: E402

QUERIES = sorted((HERE.parent / "queries").glob("*.rq"))


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    # municipalities with up to three yearly editions: the large path compares them as the small path does
    write_collection(folder, 450, seed=28, editions=3)   # 4 reports: one plan of three editions, one of one
    return folder


@pytest.fixture(scope="module")
def sites(sources: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same sources through both paths."""
    out = tmp_path_factory.mktemp("sites")
    small, large = out / "small", out / "large"
    found = find_sources(sources)
    assert build_site(found, small, catalog_path=BUNDLED_CATALOG, large=False).published
    result = build_site(found, large, catalog_path=BUNDLED_CATALOG, large=True, workers=2)
    assert result.published and result.evaluations == sum(len(t.activities) for s in found for t in read_reports(s))
    return small, large


def test_the_streamed_ntriples_are_the_rdflib_graphs(sources: Path, sites: tuple[Path, Path]) -> None:
    small, large = sites
    reports = 0
    for source in find_sources(sources):
        for table in read_reports(source):
            expected = build_graph(table)
            name = next(large.glob(f"data/{table.metadata.publisher.ward_code}-*-fy{table.fiscal_year}.nt"))
            assert isomorphic(Graph().parse(name, format="nt"), expected)
            reports += 1
    assert reports >= 2
    for name in sorted(small.glob("data/*.nt")):
        assert (large / "data" / name.name).read_bytes() == name.read_bytes(), name.name


@pytest.mark.parametrize("name", ["data/all.nq", "validation-report.ttl"])
def test_the_collection_files_are_the_small_paths(sites: tuple[Path, Path], name: str) -> None:
    """The validation report written from each report's results on disk (none of them left), a report at a time."""
    small, large = sites
    assert (large / name).read_bytes() == (small / name).read_bytes()
    if name == "validation-report.ttl":
        report = Graph().parse(large / name)
        assert len(set(report.subjects(RDF.type, SH.ValidationReport))) >= 4
        assert len(set(report.subjects(RDF.type, SH.ValidationResult))) >= 10
        assert not (large / ".validation").exists()


def test_each_plans_changes_between_editions_are_the_small_paths(sites: tuple[Path, Path]) -> None:
    small, large = sites
    names = sorted(p.name for p in small.glob("data/*-changes.csv"))
    assert names and sorted(p.name for p in large.glob("data/*-changes.csv")) == names
    for name in names:
        assert (large / "data" / name).read_bytes() == (small / "data" / name).read_bytes(), name
    assert any(kind in (large / "data" / names[0]).read_text(encoding="utf-8") for kind in ("appears", "absent"))


def test_the_catalog_gives_the_nquads_own_size_and_checksum(sites: tuple[Path, Path]) -> None:
    """The catalog is made while the N-Quads are written: its size (from the dumps) and checksum (put in after)
    are the file's, in both serializations, whose bytes are those the finished graph gives."""
    import hashlib

    from rdflib.namespace import DCAT

    from planlod.formats import JSON_LD, TURTLE
    from planlod.serialize import serialize_graph
    from planlod.vocab import SPDX, bind_prefixes

    _, large = sites
    data = (large / "data" / "all.nq").read_bytes()
    for name in ("catalog.ttl", "catalog.jsonld"):
        catalog = Graph().parse(large / name)
        distribution = next(d for d in catalog.subjects(DCAT.downloadURL, None)
                            if str(catalog.value(d, DCAT.downloadURL)).endswith("/data/all.nq"))
        assert int(catalog.value(distribution, DCAT.byteSize)) == len(data)
        checksum = catalog.value(catalog.value(distribution, SPDX.checksum), SPDX.checksumValue)
        assert str(checksum) == hashlib.sha256(data).hexdigest()
        assert isinstance(distribution, URIRef)
    # the bytes the catalog's graph gives once its checksum is known (JSON-LD sorts nodes by their text)
    catalog = bind_prefixes(Graph()).parse(large / "catalog.ttl")
    for rdf_format in (TURTLE, JSON_LD):
        assert serialize_graph(catalog, rdf_format) == (large / f"catalog{rdf_format.suffix}").read_text("utf-8")


def test_huge_reports_sorted_in_runs_checked_and_loaded_on_disk_give_the_same_site(
        sources: Path, sites: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a report of 100,000 rows goes through (its lines sorted in runs merged from disk, its SPARQL
    constraints on a store on disk, its dump loaded in slices), made to happen to every report here."""
    import planlod.ntriples

    monkeypatch.setattr(planlod.ntriples, "RUN_LINES", 2_000)
    monkeypatch.setattr(planlod.ntriples, "IN_MEMORY_BYTES", 0)
    monkeypatch.setattr(planlod.ntriples, "SLICE_BYTES", 64 * 1024)
    small, large = sites
    result = build_site(find_sources(sources), tmp_path / "site", catalog_path=BUNDLED_CATALOG, large=True,
                        workers=1)   # in this process, so that the limits above apply
    assert result.published
    assert max(p.stat().st_size for p in small.glob("data/*.nt")) > 10 * 64 * 1024   # several runs and slices
    for name in ["data/all.nq", "validation-report.ttl", *(f"data/{p.name}" for p in small.glob("data/*.nt"))]:
        assert (tmp_path / "site" / name).read_bytes() == (small / name).read_bytes(), name
    store = site_store(tmp_path / "site")
    assert len(store) == len(site_store(large))
    del store
    assert not list((tmp_path / "site").rglob(".validate-*")) and not list((tmp_path / "site").rglob("*.run*"))


def test_the_collection_nquads_are_the_same_written_in_slices(sites: tuple[Path, Path], tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """write_nquads reads each dump in slices of whole lines (a huge report's too): with slices of 4 kB,
    the bytes the small path writes, and its size and digest."""
    import hashlib
    import shutil

    import planlod.ntriples
    from planlod.nquads import write_nquads

    small, _ = sites
    monkeypatch.setattr(planlod.ntriples, "SLICE_BYTES", 4096)
    shutil.copytree(small / "data", tmp_path / "data", ignore=shutil.ignore_patterns("all.*"))
    reports = sorted({(p.stem, f"https://w3id.org/planlod/id/dataset/{p.stem}") for p in small.glob("data/*.nt")})
    assert max(p.stat().st_size for p in small.glob("data/*.nt")) > 10 * 4096
    name, size, sha = write_nquads(reports, tmp_path)
    expected = (small / "data" / "all.nq").read_bytes()
    assert (tmp_path / name).read_bytes() == expected
    assert (size, sha) == (len(expected), hashlib.sha256(expected).hexdigest())


def test_records_and_spreadsheets_are_the_small_paths(sites: tuple[Path, Path]) -> None:
    small, large = sites
    names = sorted(p.name for p in small.glob("data/*.csv*"))
    assert names and names == sorted(p.name for p in large.glob("data/*.csv*"))
    for name in names:
        assert (large / "data" / name).read_bytes() == (small / "data" / name).read_bytes(), name


@pytest.mark.parametrize("query", QUERIES, ids=lambda p: p.stem)
def test_every_example_query_answers_alike_on_the_store(sites: tuple[Path, Path], query: Path) -> None:
    small, large = sites
    answers = []
    for site in (small, large):
        store = site_store(site)
        names, rows = run_query(store, read_query(query))
        answers.append((names, sorted(map(str, rows))))
        del store
    assert answers[0] == answers[1]
    assert (large / STORE_DIR).is_dir() and not (small / STORE_DIR).exists()


def test_the_store_holds_every_reports_triples_once_in_its_default_graph(sites: tuple[Path, Path]) -> None:
    small, large = sites
    union = Graph()
    for dump in small.glob("data/*.nt"):
        union.parse(dump)
    store = site_store(large)
    assert len(store) == len(union) and list(store.named_graphs()) == []
    del store


def test_serve_answers_from_the_on_disk_store(sources: Path, large_server: str) -> None:
    base = large_server
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?e a <https://w3id.org/planlod/def#Evaluation> }"
    answer = requests.post(f"{base}/sparql", data={"query": query}, timeout=60).json()
    evaluations = sum(len(t.activities) for s in find_sources(sources) for t in read_reports(s))
    assert int(answer["results"]["bindings"][0]["n"]["value"]) == evaluations
    assert requests.get(f"{base}/{STORE_DIR}/CURRENT", timeout=10).status_code == 404
    assert requests.get(f"{base}/catalog.ttl", timeout=10).status_code == 200
    # the editor is there at any size, and told to use this endpoint
    assert requests.get(f"{base}/sparql-editor/", timeout=10).status_code == 200
    assert requests.get(f"{base}/sparql-editor/endpoint.json", timeout=10).json() == {"endpoint": "/sparql"}


def _build_over_a_previous_site(source_dir: Path, out: Path) -> Result:
    """A large build into `out`, which holds a previous site, that must fail (exit 2) and leave that site."""
    out.mkdir()
    (out / "previous.txt").write_text("the previous site", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--source-dir", str(source_dir), "--catalog", str(BUNDLED_CATALOG),
                                       "--out", str(out), "--large"])
    assert result.exit_code == 2, result.output
    assert [p.name for p in out.iterdir()] == ["previous.txt"]
    return result


def test_a_bad_row_deep_in_a_large_input_stops_before_anything_is_written(sources: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "sources"
    shutil.copytree(sources, copy)
    last = sorted(copy.glob("*.csv"))[-1]
    lines = last.read_text(encoding="utf-8").split("\n")
    row = len(lines) - 3
    lines[row] = lines[row].replace(",達成,", ",達成かも,").replace(",未達成,", ",達成かも,")
    last.write_text("\n".join(lines), encoding="utf-8")
    result = _build_over_a_previous_site(copy, tmp_path / "site")
    assert f"Error: {last}:{row + 1}" in result.stderr and "Hint:" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "sources"]      # no build folder left


def test_a_failure_while_the_store_loads_stops_it_and_leaves_the_previous_site(
        sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store and the N-Quads are made by other processes while the main process writes the rest: an error
    there (here the catalog refused) ends them, and nothing of the build is left."""
    import multiprocessing

    import planlod.publish
    from planlod.errors import PlanlodError

    def refused(ctx: object, before_head: object) -> None:
        raise PlanlodError("the DCAT catalog does not conform to DCAT-AP 3.0.1", hint="planted by the test")

    monkeypatch.setattr(planlod.publish, "write_catalog", refused)
    before = set(multiprocessing.active_children())   # a server another test started may have its workers
    result = _build_over_a_previous_site(sources, tmp_path / "site")
    assert "does not conform to DCAT-AP" in result.stderr and "planted by the test" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]      # no build folder left
    assert set(multiprocessing.active_children()) <= before


_INTERRUPTED_IN_THE_CATALOG = """
import os, signal, sys, threading
from pathlib import Path

import planlod.publish
from planlod.bundled import BUNDLED_SOURCE
from planlod.pipeline import build_site


def never_ends(ctx, before_head):
    threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
    threading.Event().wait()


if __name__ == "__main__":
    planlod.publish.write_catalog = never_ends
    try:
        build_site([BUNDLED_SOURCE], Path(sys.argv[1]) / "site", large=True, workers=1)
    except KeyboardInterrupt:
        import multiprocessing
        print("interrupted", len(multiprocessing.active_children()))
"""


def test_ctrl_c_while_the_catalog_is_made_at_low_priority_stops_the_build(tmp_path: Path) -> None:
    """The catalog is made in a thread of its own, at a lower priority: an interrupt while the build waits for
    it stops the build then (not when the thread ends: here never), with no process and no build folder left."""
    import subprocess

    script = tmp_path / "interrupted.py"
    script.write_text(_INTERRUPTED_IN_THE_CATALOG, encoding="utf-8")
    (tmp_path / "out").mkdir()
    done = subprocess.run([sys.executable, str(script), str(tmp_path / "out")], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.stdout.split() == ["interrupted", "0"], done.stderr   # the store's and N-Quads' ended with it
    assert list((tmp_path / "out").iterdir()) == []


def test_the_path_is_chosen_by_the_rows_the_sources_hold(sources: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from planlod import pipeline

    found = find_sources(sources)
    rows = sum(len(t.activities) for s in found for t in read_reports(s))
    assert pipeline.rows_in_sources(found) == rows
    monkeypatch.setattr(pipeline, "LARGE_AT", rows - 1)
    assert build_site(found, tmp_path / "site", catalog_path=BUNDLED_CATALOG, workers=1).published
    assert (tmp_path / "site" / STORE_DIR).is_dir() and not (tmp_path / "site" / "doc").exists()


def test_a_declared_figure_the_rows_contradict_is_not_published(sources: Path, tmp_path: Path) -> None:
    """A planted fault in one report of a large build: exit 1, the shape and figure named, nothing swapped."""
    import shutil

    copy = tmp_path / "sources"
    shutil.copytree(sources, copy)
    last = sorted(copy.glob("*.csv"))[-1]
    table = read_reports(last)[0]
    declared = last.with_name(last.name.removesuffix(".csv") + ".declared.csv")
    declared.write_text("fiscal_year,table,goal,policy,measure,goal_title,policy_title,measure_title,level,count,"
                        f"complete,source\n{table.fiscal_year},overall,,,,,,,,{len(table.activities) + 1},true,\n",
                        encoding="utf-8")
    out = tmp_path / "site"
    out.mkdir()
    result = CliRunner().invoke(main, ["build", "--source-dir", str(copy), "--catalog", str(BUNDLED_CATALOG),
                                       "--out", str(out), "--large"])
    assert result.exit_code == 1, result.output
    assert "Violation: plsh:DeclaredCountTallyShape (1)" in result.stdout
    assert f"differs from the declared count {len(table.activities) + 1}" in result.stdout
    assert list(out.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["site", "sources"]


def test_each_report_is_checked_against_the_standards_rules_as_on_the_small_path(sources: Path) -> None:
    """Issue 12's rules at every size: a worker checks the Data Cube, SKOS and vocabulary rules on the index its
    shapes read (conformance.check_index) and finds what the small path finds on the report's Graph."""
    from planlod.conformance import check_graph, check_index
    from planlod.graph import DEFAULT_BASE
    from planlod.graph.context import make_context
    from planlod.large import report_triples
    from planlod.shacl.facts import Facts

    for source in sorted(sources.glob("*.csv")):
        for table in read_reports(source):
            on_graph = check_graph(build_graph(table))
            assert check_index(Facts(report_triples(make_context(table, DEFAULT_BASE))).out) == on_graph
            assert on_graph.conforms and len(on_graph.results) == 33


def test_a_report_that_breaks_a_standards_rule_is_not_published(sources: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """As on the small path: exit 1, the report and the rule named, nothing swapped in. (The mapping cannot be
    made to break a rule from its input: a check that finds a duplicate observation stands in, in the one
    worker that runs in the build's own process.)"""
    from planlod import large
    from planlod.conformance import Conformance, Failure, RuleResult, check_index
    from planlod.conformance.cube import _rule
    from planlod.conformance.index import Layer

    def broken(report: Layer) -> Conformance:
        found = check_index(report)
        twelve = RuleResult(_rule("IC-12", "No duplicate observations", "ic-12"),
                            (Failure("https://example.org/o2", "same dimension values as https://example.org/o1"),))
        return Conformance(tuple(twelve if r.rule.id == "qb:IC-12" else r for r in found.results))

    monkeypatch.setattr(large, "check_index", broken)
    out = tmp_path / "site"
    out.mkdir()
    result = CliRunner().invoke(main, ["build", "--source-dir", str(sources), "--catalog", str(BUNDLED_CATALOG),
                                       "--out", str(out), "--large", "--workers", "1"])
    assert result.exit_code == 1, result.output
    assert "32 of 33 rules hold." in result.stdout and "qb:IC-12 No duplicate observations" in result.stdout
    assert "same dimension values as https://example.org/o1" in result.stdout
    assert list(out.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_source_without_metadata_is_refused_alike_on_both_paths(sources: Path, tmp_path: Path) -> None:
    bare = tmp_path / "bare.csv"
    bare.write_bytes(sorted(sources.glob("*.csv"))[0].read_bytes())
    for path in ("--large", "--small"):
        result = CliRunner().invoke(main, ["build", "--source", str(bare), "--out", str(tmp_path / path), path])
        assert result.exit_code == 2 and f"Error: {bare}: the metadata must give" in result.stderr, result.output


def _as_a_large_site_links(page: str) -> str:
    """A small path's page as a large site links it: without the links to the comparison and search pages (which
    it has not) and the blank lines their templates leave, each edition's row linking its report's resource page
    rather than the report page (which it has not); the editions' links are checked apart."""
    page = re.sub(r'\n<a href="[./]*(compare.html|search/index.html)">.*?</a>', "", page)
    page = re.sub(r'(<tr><td><a href=")[^"]*(">[^<]*(<span lang="en">)?FY\d+)', r"\1\2", page)
    return re.sub(r"\n+", "\n", page)


@pytest.fixture(scope="module")
def large_server(sites: tuple[Path, Path]) -> Iterator[str]:
    _, large = sites
    httpd = create_server(ServerSettings(large, EndpointSettings(workers=2)), "127.0.0.1", 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_serve_renders_a_large_sites_pages_as_the_small_path_writes_them(sites: tuple[Path, Path],
                                                                         large_server: str) -> None:
    """Every kind of resource page of the data, rendered on demand from the store and the dumps, is the
    small path's page, byte for byte (but the links a large site has not), with the same Turtle twin."""
    small, large = sites
    assert not (large / "doc").exists()
    data = Graph()
    for dump in small.glob("data/*.nt"):
        data.parse(dump)
    subjects = {str(s) for s in data.subjects()}
    base = "https://w3id.org/planlod/id/"
    pages = [p for p in sorted(small.glob("doc/**/index.html"))
             if base + p.parent.relative_to(small / "doc").as_posix() in subjects]
    kinds: dict[str, Path] = {}
    for page in pages:
        badges = tuple(re.findall(r'<span class="badge">([^<]*)</span>', page.read_text(encoding="utf-8")))
        kinds.setdefault("|".join(badges), page)
    assert len(kinds) >= 14, sorted(kinds)
    findings = 0
    for page in kinds.values():
        rest = page.parent.relative_to(small / "doc").as_posix()
        expected = page.read_text(encoding="utf-8")
        thing = requests.get(f"{large_server}/id/{rest}", timeout=60, allow_redirects=False)
        assert thing.status_code == 303, rest
        served = requests.get(f"{large_server}/doc/{rest}/", timeout=60)
        assert served.status_code == 200 and served.headers["Content-Type"].startswith("text/html"), rest
        assert "compare.html" not in served.text and "search/index.html" not in served.text
        assert _as_a_large_site_links(served.text) == _as_a_large_site_links(expected), rest
        findings += 'class="finding"' in served.text
        turtle = requests.get(f"{large_server}/doc/{rest}/index.ttl", timeout=60)
        # the same literals as the dumps ('120.0'^^xsd:decimal, xsd:positiveInteger), which the store alters
        assert isomorphic(Graph().parse(data=turtle.text, format="turtle"),
                          Graph().parse(page.with_name("index.ttl"), format="turtle")), rest


    assert findings, "no page with the validation's findings was compared"


def test_a_large_sites_home_page_counts_each_report_and_links_its_page(sources: Path, sites: tuple[Path, Path],
                                                                      large_server: str) -> None:
    from planlod.tallies import pivot_counts

    small, large = sites
    home = without_lang_marks((large / "index.html").read_text(encoding="utf-8"))
    rows = re.findall(r'<tr><td>[^<]*</td><td><a href="([^"]*)">[^<]*</a></td><td><a href="([^"]*)">[^<]*</a></td>\n'
                      r'<td class="num">(\d+)</td><td class="num">(\d+)</td><td class="num">(\d+)</td>', home)
    tables = {t.fiscal_year: t for s in find_sources(sources) for t in read_reports(s)}
    assert len(rows) == len(tables) > 1
    for plan_href, report_href, total, met, not_met in rows:
        year = int(report_href.rstrip("/").split("/fy")[1].split("/")[0])
        pivots = pivot_counts(tables[year])
        assert (int(total), int(met), int(not_met)) == (len(tables[year].activities), pivots["met"], pivots["not-met"])
        for href in (plan_href, report_href):   # doc/…/index.html, made by planlod serve
            assert href.startswith("doc/") and not (large / href).exists()
            assert requests.get(f"{large_server}/{href}", timeout=60).status_code == 200, href
    # each report's own files, linked in its row: what a static host serves without `planlod serve`
    files = re.findall(r'<td><a href="(data/[^"]+\.csv)" type="text/csv">CSV</a> · '
                       r'<a href="(data/[^"]+\.nt)" type="application/n-triples">N-Triples</a></td></tr>', home)
    assert len(files) == len(rows) and all((large / f).is_file() for pair in files for f in pair)
    assert "compare.html" not in home and "search/index.html" not in home
    data = (large / "data.html").read_text(encoding="utf-8")
    assert "void.ttl" in data and "validation-report.ttl" in data
    assert "conformance.html" in data and (large / "conformance.html").is_file()
    assert requests.get(f"{large_server}/", timeout=10).status_code == 200


def test_a_large_sites_conformance_report_gives_each_rule_for_the_collection(sites: tuple[Path, Path]) -> None:
    """Each rule once, its subject the collection's dataset, passed, with how many reports were checked (every
    report is: a failing one stops the build); listed in the catalog beside the SHACL report, as on a small site."""
    _, large = sites
    earl = Graph().parse(large / "conformance-report.ttl")
    ns = "http://www.w3.org/ns/earl#"
    assertions = set(earl.subjects(RDF.type, URIRef(ns + "Assertion")))
    assert len(assertions) == 33
    assert {str(earl.value(a, URIRef(ns + "subject"))) for a in assertions} == {
        "https://w3id.org/planlod/id/dataset/all"}
    outcomes = [earl.value(a, URIRef(ns + "result")) for a in assertions]
    assert {str(earl.value(o, URIRef(ns + "outcome"))) for o in outcomes} == {ns + "passed"}
    reports = len(list(large.glob("data/*.nt")))
    assert all(f"each of the {reports} reports checked" in {str(d) for d in earl.objects(o, DCTERMS.description)}
               for o in outcomes)
    page = (large / "conformance.html").read_text(encoding="utf-8")
    assert "qb:IC-12" in page and "skos:S14" in page and "vocab:defined" in page
    catalog = Graph().parse(large / "catalog.ttl")
    downloads = {str(catalog.value(d, DCAT.downloadURL)).rsplit("/", 1)[1] for d in catalog.objects(
        URIRef("https://w3id.org/planlod/id/dataset/validation"), DCAT.distribution)}
    assert downloads == {"conformance-report.ttl", "validation-report.ttl"}


def test_every_link_of_a_large_sites_pages_is_a_file_or_made_by_serve(sites: tuple[Path, Path],
                                                                       large_server: str) -> None:
    _, large = sites
    for page in ("index.html", "data.html", "sparql-editor/index.html"):
        hrefs = set(re.findall(r'href="([^"#]+)', (large / page).read_text(encoding="utf-8")))
        local = {h for h in hrefs if not h.startswith(("http:", "https:", "mailto:"))}
        assert local, page
        for href in sorted(local):
            target = (large / page).parent / href
            if not target.exists():   # a page `planlod serve` renders on demand
                url = f"{large_server}/{target.resolve().relative_to(large.resolve()).as_posix()}"
                assert requests.get(url, timeout=60).status_code == 200, (page, href)
    # the examples' page of a large site has their texts, not their results, and the editor says so
    examples = (large / "queries/index.html").read_text(encoding="utf-8")
    assert examples.count("<pre") == len(list(large.glob("queries/*.rq"))) > 1 and "<table" not in examples
    assert "with their results" not in (large / "sparql-editor/index.html").read_text(encoding="utf-8")
    assert "with their results" in (sites[0] / "sparql-editor/index.html").read_text(encoding="utf-8")


def test_a_large_sites_void_is_the_small_paths_but_the_partitions_and_distinct_counts(
        sites: tuple[Path, Path]) -> None:
    void = "http://rdfs.org/ns/void#"
    small, large = (Graph().parse(site / "void.ttl") for site in sites)
    assert len(large) > 0 and set(large) <= set(small)
    subsets = set(large.objects(None, URIRef(void + "subset")))
    (collection,) = set(large.subjects(RDF.type, URIRef(void + "Dataset"))) - subsets
    store = site_store(sites[1])
    assert int(large.value(collection, URIRef(void + "triples"))) == len(store)
    del store
    assert subsets == set(small.objects(collection, URIRef(void + "subset"))) and len(subsets) > 1
    dumps = {str(dump).split("/data/", 1)[1] for dump in large.objects(None, URIRef(void + "dataDump"))}
    assert "all.nq" in dumps and len(dumps) > len(subsets)
    assert all((sites[1] / "data" / dump).is_file() for dump in dumps)
    for subset in subsets:
        assert large.value(subset, URIRef(void + "triples")) == small.value(subset, URIRef(void + "triples"))
    left_out = {URIRef(void + p) for p in ("classPartition", "propertyPartition", "distinctSubjects", "entities")}
    assert left_out <= set(small.predicates()) and not left_out & set(large.predicates())


def test_a_resource_in_too_many_reports_gets_its_own_triples_and_a_notice(sites: tuple[Path, Path],
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import pyoxigraph as ox

    from planlod.serve import pages

    _, large = sites
    monkeypatch.setattr(pages, "MAX_REPORTS", 0)
    monkeypatch.setattr(pages, "MAX_LINKS", 5)
    store = ox.Store.read_only(str(large / STORE_DIR))
    base = "https://w3id.org/planlod/"
    year = next(q.subject.value for q in store.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        ox.NamedNode("https://w3id.org/planlod/def#FiscalYear"), None))
    site = pages.read_site_info(large)
    assert site is not None and site.reports_of(year) == site.datasets and len(site.datasets) > 1
    for dataset_id in site.datasets:   # a report's resources are in its own dump only
        report = next(s for s, p, o in Graph().parse(large / "data" / f"{dataset_id}.nt")
                      if "/evaluations/" in str(s))
        assert site.reports_of(str(report)) == (dataset_id,)
    files = pages.render_page(store, year, site)
    assert files is not None
    page = without_lang_marks(files["index.html"].decode())
    assert 'class="notice"' in page and "at most 5 links" in page
    twin = Graph().parse(data=files["index.ttl"], format="turtle")
    own = {(q.predicate.value, str(q.object.value))
           for q in store.quads_for_pattern(ox.NamedNode(year), None, None, None)}
    assert {(str(p), str(o)) for s, p, o in twin if str(s) == year} == own
    assert len([s for s, p, o in twin if str(o) == year]) == 5
    assert pages.render_page(store, base + "id/nothing/here", site) is None
    assert pages.render_page(store, "not an iri", site) is None


def test_serve_answers_404_for_what_the_large_store_does_not_hold(large_server: str) -> None:
    for path in ("/id/plan/000000/none", "/doc/plan/000000/none/", "/doc/plan/000000/none/index.ttl",
                 "/id/a%3Eb", "/id/%20", "/doc/../../etc/passwd", "/doc/.store/CURRENT"):
        assert requests.get(f"{large_server}{path}", timeout=30, allow_redirects=False).status_code == 404, path


@pytest.fixture(scope="module")
def bundled_large(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The bundled data built on the large path, and `planlod serve` on it."""
    site = tmp_path_factory.mktemp("bundled-large") / "site"
    assert build_site(None, site, large=True, workers=1).published
    httpd = create_server(ServerSettings(site, EndpointSettings(workers=1)), "127.0.0.1", 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield site, f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_sources_own_meaning_of_the_covid_mark_is_on_its_pages_on_demand(bundled_large: tuple[Path, str]) -> None:
    """Nishi's source defines ※ in its own words ("…により目標を達成できなかった事業"), not planlod's default:
    the bundled data built on the large path, its department and plan pages served on demand are the
    committed site's (the small path's) byte for byte but for the links a large site has not."""
    committed = HERE.parent / "site"
    _, url = bundled_large
    pages = [p for p in sorted(committed.glob("doc/**/index.html"))
             if "新型コロナウイルス感染症の影響により目標を達成できなかった事業" in p.read_text(encoding="utf-8")]
    chosen = {next(p for p in pages if "/org/" in str(p)), next(p for p in pages if "/plan/" in str(p))}
    assert len(chosen) == 2
    for page in chosen:
        rest = page.parent.relative_to(committed / "doc").as_posix()
        served = requests.get(f"{url}/doc/{rest}/", timeout=60)
        assert served.status_code == 200, rest
        assert _as_a_large_site_links(served.text) == _as_a_large_site_links(page.read_text(encoding="utf-8")), rest


def test_a_large_site_has_each_plans_changes_and_its_plan_pages_show_its_editions(
        bundled_large: tuple[Path, str]) -> None:
    """Kawasaki's plan has three editions (FY2007-2009): the large path writes the changes CSVs the small path
    writes, byte for byte (from each report's facts, which its worker kept on disk and which are gone after the
    build), and the plan's page rendered on demand shows the editions with their counts and changes as the
    committed page does, each year linking its report's page, which `planlod serve` answers."""
    committed = HERE.parent / "site"
    site, url = bundled_large
    expected = sorted(p.relative_to(committed).as_posix() for p in committed.glob("data/*-changes.csv"))
    assert expected and sorted(p.relative_to(site).as_posix() for p in site.glob("data/*-changes.csv")) == expected
    for name in expected:
        assert (site / name).read_bytes() == (committed / name).read_bytes(), name
    assert not (site / ".editions").exists()
    assert all(name in (site / "data.html").read_text(encoding="utf-8") for name in expected)
    plans = [p for p in committed.glob("doc/plan/*/*/index.html") if '<table id="editions">' in p.read_text("utf-8")]
    assert any(p.read_text(encoding="utf-8").count("FY20") >= 3 and "今版に登場" in p.read_text(encoding="utf-8")
               for p in plans)
    for page in plans:
        rest = page.parent.relative_to(committed / "doc").as_posix()
        served = requests.get(f"{url}/doc/{rest}/", timeout=60)
        assert served.status_code == 200 and '<table id="editions">' in served.text, rest
        assert _as_a_large_site_links(served.text) == _as_a_large_site_links(page.read_text(encoding="utf-8")), rest
        years = re.findall(r'<tr><td><a href="([^"]*)">[^<]*(?:<span lang="en">)?FY\d+', served.text)
        assert years, rest
        for href in years:
            target = requests.compat.urljoin(f"{url}/doc/{rest}/", href)
            assert "/doc/report/" in target and requests.get(target, timeout=60).status_code == 200, href


def test_the_store_is_loaded_in_pieces_of_whole_lines_small_dumps_gathered(sites: tuple[Path, Path],
                                                                         tmp_path: Path) -> None:
    """load_store's pieces: small dumps gathered into one load (a bulk load costs ~4 ms however small), a large
    one in slices; every piece whole lines, none much over the slice size, all of them the dumps' lines."""
    from planlod.large import _pieces

    small, _ = sites
    lines = b"".join(p.read_bytes() for p in sorted(small.glob("data/*.nt"))).splitlines(keepends=True)
    dumps, start = [], 0
    for n, count in enumerate([5, 40, 3, 2_000, 7, 9, 1_500, 11, 4]):   # dumps of a few lines and large ones
        dumps.append(tmp_path / f"{n}.nt")
        dumps[-1].write_bytes(b"".join(lines[start:start + count]))
        start += count
    limit = 100 * max(len(line) for line in lines)
    sizes = [p.stat().st_size for p in dumps]
    assert sum(s < limit for s in sizes) >= 5 and sum(s > 2 * limit for s in sizes) == 2
    pieces = list(_pieces(dumps, limit))
    # the same lines (a large dump's slices may come before the small ones gathered ahead of it)
    assert sorted(b"".join(pieces).splitlines()) == sorted(b"".join(p.read_bytes() for p in dumps).splitlines())
    assert all(piece.endswith(b"\n") for piece in pieces)
    assert all(len(piece) < 2 * limit for piece in pieces)
    small_lines = {line for p, s in zip(dumps, sizes, strict=True) if s < limit for line in p.read_bytes().splitlines()}
    gathered = [piece for piece in pieces if set(piece.splitlines()) <= small_lines]
    assert len(gathered) < sum(s < limit for s in sizes)      # several small dumps in one load


def test_the_stores_loads_end_and_count_are_signalled_even_when_they_fail(sites: tuple[Path, Path],
                                                                         tmp_path: Path) -> None:
    """The collection's N-Quads wait for the store's loads to end, and VoID and the pages for its count (they
    are made beside its one-core compaction): both are given when the store loads, and the end of the loads
    when a dump that cannot be read stops it (the error raised where the count is waited for), so that nothing
    waits for ever."""
    import multiprocessing

    from planlod import large
    from planlod.processes import Watched

    small, _ = sites
    dumps = sorted(small.glob("data/*.nt"))
    triples = len(site_store(small))
    ended = multiprocessing.get_context("spawn").Event()
    with Watched("on-disk store", large.load_store, tmp_path / "store", dumps, 100_000, 2, ended) as store:
        assert store.receive() == triples   # the count, sent before the compaction ends
        assert ended.is_set()
        assert store.receive() == triples   # the result
    ended.clear()
    with Watched("on-disk store", large.load_store, tmp_path / "other", [*dumps[:1], tmp_path / "gone.nt", *dumps],
                 100_000, 2, ended) as store, pytest.raises(FileNotFoundError):
        store.receive()
    assert ended.is_set()


@pytest.mark.parametrize(("killed", "name"), [("_map_source", "mapping"), ("load_store", "on-disk store"),
                                              ("_write_nquads_aside", "collection N-Quads")])
def test_a_process_killed_during_a_large_build_stops_it_and_leaves_the_previous_site(
        sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, killed: str, name: str,
        no_wait_for_ever: None) -> None:
    """A worker, the store's process or the N-Quads' ended as the kernel ends one it kills for want of memory:
    the build stops with an error naming it (multiprocessing.Pool lost such a task, and the build waited for
    ever), no build folder and no process is left, and the previous site stays."""
    import multiprocessing

    from planlod import large

    from . import dying

    monkeypatch.setattr(large, killed, dying.killed)   # given to the spawned process by name: its module's
    before = set(multiprocessing.active_children())
    out = tmp_path / "site"
    out.mkdir()
    (out / "previous.txt").write_text("the previous site", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--source-dir", str(sources), "--catalog", str(BUNDLED_CATALOG),
                                       "--out", str(out), "--large", "--workers", "2"])
    assert result.exit_code == 2, result.output
    assert f"Error: planlod's {name} process ended without its result (killed by signal 9, SIGKILL)" \
        in result.stderr and "Hint:" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]      # no build folder left
    assert [p.name for p in out.iterdir()] == ["previous.txt"]
    assert set(multiprocessing.active_children()) <= before


def _children(pid: int) -> list[int]:
    """The processes `pid` started for its work: not multiprocessing's resource tracker, which the first spawned
    process starts before it and which ends by itself once the caller has."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in task.read_text().split()]
    return [c for c in found if "resource_tracker" not in _command(c)]


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    except OSError:
        return ""


@pytest.mark.skipif(sys.platform != "linux", reason="a process's children are read from Linux's /proc")
@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_stops_a_large_build_and_ends_the_processes_it_started(sources: Path, tmp_path: Path, workers: int,
                                                                     no_wait_for_ever: None) -> None:
    """`kill`, `timeout` or a service manager stopping a build: it stops as on Ctrl-C, with an error, removes
    what it was building and ends the processes it started (left to run on, the store's would load and compact
    for minutes); the previous site stays. With one worker the first processes started are the store's and the
    N-Quads', with two the mapping's workers."""
    import signal
    import subprocess
    import time

    out = tmp_path / "site"
    out.mkdir()
    (out / "previous.txt").write_text("the previous site", encoding="utf-8")
    build = subprocess.Popen([sys.executable, "-m", "planlod", "build", "--source-dir", str(sources), "--catalog",
                              str(BUNDLED_CATALOG), "--out", str(out), "--large", "--workers", str(workers)],
                             stderr=subprocess.PIPE, text=True)
    children: list[int] = []
    while len(children) < 2 and build.poll() is None:   # both workers, or the store's and the N-Quads' processes
        children = _children(build.pid)
        time.sleep(0.02)
    assert len(children) == 2, "the build ended before it started its processes"
    build.send_signal(signal.SIGTERM)
    _, stderr = build.communicate(timeout=60)
    assert build.returncode == 2, stderr
    assert "Error: stopped by SIGTERM" in stderr and "Hint:" in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]      # no build folder left
    assert [p.name for p in out.iterdir()] == ["previous.txt"]
    assert [pid for pid in children if _state(pid)] == []   # ended and reaped by the build before it exited


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


def test_every_kind_of_change_between_editions_is_the_small_paths_on_a_large_site(tmp_path: Path) -> None:
    """Nishi's FY2020 and a FY2021 edition that retitles, ends and adds elements and crosses the pivot both
    ways (tests/cases/collection): the large path's changes CSV is the small path's, and the plan's page
    rendered on demand lists both editions with those changes, as the small path's page does; a changes CSV
    gone from the site is an error naming the site, not a page without them."""
    import pyoxigraph as ox

    from planlod.bundled import BUNDLED_SOURCE
    from planlod.errors import PlanlodError
    from planlod.serve import pages

    fy2021 = HERE / "cases" / "collection" / "nishi-fy2021" / "records.csv"
    small, large = tmp_path / "small", tmp_path / "large"
    assert build_site([BUNDLED_SOURCE, fy2021], small, large=False).published
    assert build_site([BUNDLED_SOURCE, fy2021], large, large=True, workers=2).published
    name = "data/151076-vision-3-changes.csv"
    assert (large / name).read_bytes() == (small / name).read_bytes()
    assert {"retitled", "absent", "appears", "now met", "no longer met"} <= {
        line.split(",")[2] for line in (large / name).read_text(encoding="utf-8").splitlines()[1:]}
    site = pages.read_site_info(large)
    assert site is not None
    plan = "https://w3id.org/planlod/id/plan/151076/vision-3"
    store = ox.Store.read_only(str(large / STORE_DIR))
    files = pages.render_page(store, plan, site)
    assert files is not None
    expected = (small / "doc/plan/151076/vision-3/index.html").read_text(encoding="utf-8")
    assert "名称変更 retitled 1" in without_lang_marks(expected)
    assert _as_a_large_site_links(files["index.html"].decode()) == _as_a_large_site_links(expected)
    (large / name).unlink()
    with pytest.raises(PlanlodError, match="cannot give their changes"):
        pages.render_page(store, plan, pages.read_site_info(large))
