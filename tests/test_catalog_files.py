"""The catalog written part by part: the whole graph's bytes, the whole graph's DCAT-AP violations."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from planlod.bundled import BUNDLED_CATALOG, BUNDLED_DATA
from planlod.catalog_info import read_catalog_info
from planlod.collection import Report, find_sources
from planlod.errors import PlanlodError
from planlod.formats import CSV as CSV_FORMAT
from planlod.formats import DATASET_FORMATS, FORMATS, JSON_LD, SPREADSHEET_CSV, TURTLE
from planlod.graph import DEFAULT_BASE
from planlod.pipeline import build_reports, combine_outcomes
from planlod.publish import catalog_files, validate_catalog
from planlod.publish.catalog import catalog_head, catalog_parts, plan_parts
from planlod.publish.catalog_files import SPOOL_DIR, CatalogFiles, write_catalog
from planlod.publish.context import PublishContext, WrittenFile
from planlod.publish.dumps import COLLECTION_ID, dump_name
from planlod.serialize import serialize_graph
from planlod.vocab import bind_prefixes

Part = Callable[[Graph], None]


@pytest.fixture(scope="module")
def reports() -> tuple[Report, ...]:
    return build_reports(find_sources(BUNDLED_DATA))


def _context(reports: tuple[Report, ...], out: Path, *, pages: bool = True) -> PublishContext:
    """The bundled reports' context, with a file of every kind each (so that every distribution is there)."""
    out.mkdir(parents=True, exist_ok=True)
    ctx = PublishContext(reports, Graph(), combine_outcomes(reports), read_catalog_info(BUNDLED_CATALOG),
                         DEFAULT_BASE, "https://example.org/site/", out, pages=pages)
    names = [dump_name(r.dataset_id, f.suffix) for r in reports for f in (*FORMATS, CSV_FORMAT, SPREADSHEET_CSV)]
    names += [dump_name(COLLECTION_ID, f.suffix) for f in DATASET_FORMATS]
    for i, name in enumerate(names):
        ctx.files[name] = WrittenFile(name, "text/plain", 1000 + i, f"{i:064x}")
    return ctx


def _whole(ctx: PublishContext) -> Graph:
    whole = bind_prefixes(Graph())
    for part in catalog_parts(ctx):
        whole += part
    return whole


@pytest.mark.parametrize("key_chars", [128, 1])
@pytest.mark.parametrize("pages", [True, False])
def test_the_files_are_the_whole_graphs_serializations(reports: tuple[Report, ...], tmp_path: Path, pages: bool,
                                                       key_chars: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Written part by part (the spool gone after), the same bytes as the whole graph's Turtle and JSON-LD; one
    character of each JSON-LD node held for the sort makes every node's order come from reading it back."""
    monkeypatch.setattr(catalog_files._JsonLdNodes, "KEY_CHARS", key_chars)
    ctx = _context(reports, tmp_path / "site", pages=pages)
    write_catalog(ctx)
    whole = _whole(ctx)
    assert len(list(plan_parts(ctx))) >= 2 and len(whole) > 500
    for rdf_format in (TURTLE, JSON_LD):
        written = (ctx.out / f"catalog{rdf_format.suffix}").read_text(encoding="utf-8")
        assert written == serialize_graph(whole, rdf_format), rdf_format.name
        assert ctx.files[f"catalog{rdf_format.suffix}"].byte_size == len(written.encode("utf-8"))
    assert not (ctx.out / SPOOL_DIR).exists()
    assert ctx.catalog_outcome is not None and ctx.catalog_outcome.conforms
    if pages:   # the pages embed the catalog and describe its resources
        assert ctx.catalog is not None and set(ctx.catalog) == set(whole)
    else:
        assert ctx.catalog is None


def _planted(monkeypatch: pytest.MonkeyPatch, in_plans: Part, in_head: Part) -> None:
    def plans(ctx: PublishContext) -> Iterator[Graph]:
        for part in plan_parts(ctx):
            in_plans(part)
            yield part

    def head(ctx: PublishContext) -> Graph:
        part = catalog_head(ctx)
        in_head(part)
        return part

    monkeypatch.setattr(catalog_files, "plan_parts", plans)
    monkeypatch.setattr(catalog_files, "catalog_head", head)
    monkeypatch.setattr("planlod.publish.catalog.plan_parts", plans)
    monkeypatch.setattr("planlod.publish.catalog.catalog_head", head)


def _without_title(part: Graph) -> None:
    dataset = sorted(part.subjects(RDF.type, DCAT.Dataset), key=str)[0]
    part.remove((dataset, DCTERMS.title, None))


def _text_size(part: Graph) -> None:
    for distribution, size in list(part.subject_objects(DCAT.byteSize))[:1]:
        part.set((distribution, DCAT.byteSize, Literal(f"{size} bytes")))


def _untyped_dataset(part: Graph) -> None:
    """A dataset no longer typed dcat:Dataset: the head's links to it (checked with the types of earlier parts)
    and its series' first or last edition break DCAT-AP's range."""
    part.remove((sorted(part.subjects(RDF.type, DCAT.Dataset), key=str)[-1], RDF.type, DCAT.Dataset))


def _without_publisher(part: Graph) -> None:
    part.remove((None, DCTERMS.publisher, None))


def _service_to_a_page(part: Graph) -> None:
    service = next(part.subjects(RDF.type, DCAT.DataService))
    page = next(part.objects(None, FOAF.homepage))
    part.add((service, DCAT.servesDataset, page))


def _nothing(part: Graph) -> None:
    pass


@pytest.mark.parametrize(("in_plans", "in_head"), [
    (_without_title, _nothing), (_text_size, _nothing), (_untyped_dataset, _nothing),
    (_nothing, _without_publisher), (_nothing, _service_to_a_page), (_text_size, _without_publisher),
])
def test_the_parts_violations_are_the_whole_graphs(reports: tuple[Report, ...], tmp_path: Path, in_plans: Part,
                                                   in_head: Part, monkeypatch: pytest.MonkeyPatch) -> None:
    """Faults planted in the plans' parts, in the head, in both: refused, with the violations DCAT-AP finds in
    the whole graph (focus, path, value, constraint, shape), and nothing written."""
    _planted(monkeypatch, in_plans, in_head)
    ctx = _context(reports, tmp_path / "site")
    expected = validate_catalog(_whole(ctx)).violations
    assert expected
    with pytest.raises(PlanlodError, match="does not conform to DCAT-AP") as refused:
        write_catalog(ctx)
    assert ctx.catalog_outcome is not None

    def key(i: object) -> tuple[str, ...]:
        return tuple(str(getattr(i, f)) for f in ("focus", "path", "value", "constraint", "shape", "message"))

    assert sorted(map(key, ctx.catalog_outcome.violations)) == sorted(map(key, expected))
    assert all(i.severity == "Violation" for i in ctx.catalog_outcome.issues)
    assert all(i.focus in refused.value.message for i in expected)
    assert not (ctx.out / "catalog.ttl").exists() and not (ctx.out / "catalog.jsonld").exists()


def test_a_node_two_parts_describe_differently_is_refused(reports: tuple[Report, ...], tmp_path: Path) -> None:
    """Two reports naming their shared publisher differently: the whole graph would not be what was checked."""
    ctx = _context(reports, tmp_path / "site")
    agent = URIRef("https://example.org/org/ward")
    files = CatalogFiles(ctx, keep_graph=False)
    files.add(Graph().add((agent, FOAF.name, Literal("西区役所", lang="ja"))))
    files.add(Graph().add((agent, FOAF.name, Literal("西区役所", lang="ja"))))   # alike: once
    with pytest.raises(PlanlodError, match="describes https://example.org/org/ward in two ways") as refused:
        files.add(Graph().add((agent, FOAF.name, Literal("新潟市西区役所", lang="ja"))))
    assert '"新潟市西区役所"@ja' in refused.value.message
    assert refused.value.hint and "[publisher]" in refused.value.hint


def test_a_part_describing_what_an_earlier_part_pointed_to_is_a_bug(reports: tuple[Report, ...],
                                                                    tmp_path: Path) -> None:
    """The earlier part was checked without the node's types: the order of the parts is planlod's to keep."""
    ctx = _context(reports, tmp_path / "site")
    dataset, distribution = URIRef("https://example.org/d"), URIRef("https://example.org/d/distribution/ttl")
    files = CatalogFiles(ctx, keep_graph=False)
    files.add(Graph().add((dataset, DCAT.distribution, distribution)))
    with pytest.raises(RuntimeError, match="which an earlier part pointed to"):
        files.add(Graph().add((distribution, RDF.type, DCAT.Distribution)))


@pytest.mark.parametrize("keep_graph", [True, False])
def test_what_planlods_turtle_declines_rdflib_writes_from_the_kept_graph(reports: tuple[Report, ...],
                                                                         tmp_path: Path, keep_graph: bool) -> None:
    ctx = _context(reports, tmp_path / "site")
    files = CatalogFiles(ctx, keep_graph=keep_graph)
    for part in catalog_parts(ctx):
        files.add(part)
    node = URIRef("https://example.org/x")
    files.add(Graph().add((node, DCTERMS.relation, BNode("b1"))).add((node, DCTERMS.extent,
                                                                       Literal("1", datatype=XSD.integer))))
    if not keep_graph:
        with pytest.raises(RuntimeError, match="declined the catalog"):
            files.finish()
        return
    files.finish()
    written = Graph().parse(ctx.out / "catalog.ttl")
    assert len(written) == len(_whole(ctx)) + 2


def test_two_plans_of_one_office_named_differently_stop_the_build(tmp_path: Path) -> None:
    """End to end: Nishi's report again as another plan of the same ward office, whose metadata names the office
    otherwise: exit 2 naming the office and one of its names, and no site written."""
    from click.testing import CliRunner

    from planlod.cli import main

    sources = tmp_path / "sources"
    sources.mkdir()
    source = BUNDLED_DATA / "source" / "niigata-nishi-ward_vision-plan-3_progress_fy2020"
    for suffix in (".txt", ".meta.toml", ".corrections.csv"):
        text = Path(f"{source}{suffix}").read_text(encoding="utf-8")
        (sources / f"nishi{suffix}").write_text(text, encoding="utf-8")
        if suffix == ".meta.toml":
            assert 'id = "vision-3"' in text and 'office_name = "新潟市西区役所"' in text
            text = text.replace('"vision-3"', '"vision-3b"').replace('151076-vision-3', '151076-vision-3b')
            text = text.replace('office_name = "新潟市西区役所"', 'office_name = "西区役所"', 1)
        (sources / f"nishi-b{suffix}").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--source-dir", str(sources), "--catalog", str(BUNDLED_CATALOG),
                                       "--out", str(tmp_path / "site")])
    assert result.exit_code == 2, result.output
    assert "describes https://w3id.org/planlod/id/org/151076 in two ways" in result.output
    # the metadata files of both plans: the one that named it first, the one that names it otherwise (where)
    assert "Error: nishi-b.meta.toml: " in result.output and "not as nishi.meta.toml does" in result.output
    assert '"西区役所"@ja' in result.output or '"新潟市西区役所"@ja' in result.output
    assert "Hint:" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sources"]
