"""The SPARQL editor page and what it ships (the browser tests run it: test_browser.py)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from planlod.publish.editor import BROWSER_LIMIT_BYTES, OXIGRAPH_JS, STATIC
from planlod.queries import example_queries


def test_the_shipped_oxigraph_is_the_pinned_release_unchanged(site: Path) -> None:
    folder = STATIC / "oxigraph"
    sums = dict(reversed(line.split()) for line in (folder / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == {"web.js", "web_bg.wasm"}
    for name, digest in sums.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
        assert (site / "assets" / "oxigraph" / name).read_bytes() == (folder / name).read_bytes()
    assert f"Oxigraph {OXIGRAPH_JS} " in (site / "assets" / "oxigraph" / "NOTICE").read_text()


def test_the_editor_page_knows_the_dump_and_its_size(site: Path) -> None:
    html = (site / "sparql-editor" / "index.html").read_text(encoding="utf-8")
    found = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', html))
    assert found["root"] == "../" and found["base"] == "https://w3id.org/planlod/"
    assert int(found["dump-bytes"]) == (site / found["dump"]).stat().st_size > 0
    assert int(found["limit-bytes"]) == BROWSER_LIMIT_BYTES > int(found["dump-bytes"])
    assert "cdn" not in html.lower() and 'src="../assets/editor.js"' in html


def test_the_editor_lists_every_example_with_its_file(site: Path) -> None:
    examples = json.loads((site / "sparql-editor" / "examples.json").read_text(encoding="utf-8"))
    assert [e["name"] for e in examples] == [q.name for q in example_queries()]
    for example in examples:
        assert (site / example["file"]).read_text(encoding="utf-8") == example["text"]
    assert json.loads((site / "sparql-editor" / "endpoint.json").read_text()) == {"endpoint": None}


def test_the_examples_page_links_each_example_to_the_editor_and_its_file(site: Path) -> None:
    html = (site / "queries" / "index.html").read_text(encoding="utf-8")
    for query in example_queries():
        assert f'href="../sparql-editor/index.html?example={query.name}"' in html
        assert f'href="{query.name}.rq"' in html
