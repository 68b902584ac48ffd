"""The SPARQL editor page: sparql-editor/index.html, its examples, its script and Oxigraph for the browser.

Against `planlod serve` the page queries the endpoint; on a static host it loads the site's dump into
Oxigraph compiled to WebAssembly (the npm package `oxigraph`, pinned and shipped here: OXIGRAPH_JS) and runs
the queries in the browser. Above BROWSER_LIMIT_BYTES of N-Quads it says so instead of loading them.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..queries import example_queries
from .dumps import COLLECTION_ID
from .files import write_file
from .render import Renderer

STATIC = Path(__file__).parent / "static"
OXIGRAPH_JS = "0.5.11"        # npm `oxigraph`, files web.js and web_bg.wasm (scripts/vendor-oxigraph.sh)
BROWSER_LIMIT_BYTES = 50_000_000  # ~400,000 triples: loads in a few seconds on a phone of 2024
PAGE = "sparql-editor/index.html"


def write_editor(renderer: Renderer) -> None:
    ctx = renderer.ctx
    write_file(ctx, "assets/editor.js", (STATIC / "editor.js").read_bytes())
    for name in ("web.js", "web_bg.wasm", "NOTICE"):
        write_file(ctx, f"assets/oxigraph/{name}", (STATIC / "oxigraph" / name).read_bytes())
    examples = [{"name": q.name, "purpose": q.purpose, "text": q.text, "file": f"queries/{q.name}.rq"}
                for q in example_queries()]
    write_file(ctx, "sparql-editor/examples.json",
               json.dumps(examples, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    # None on a static host; `planlod serve` answers this path with its endpoint (serve/app.py).
    write_file(ctx, "sparql-editor/endpoint.json", json.dumps({"endpoint": None}) + "\n")
    dump = f"data/{COLLECTION_ID}.nq"
    renderer.page(
        PAGE, "editor.html",
        title="SPARQL クエリ", title_en="SPARQL query",
        crumbs=[{"label": "ホーム Home", "href": "../index.html"}],
        intro="このサイトの全データに SPARQL で問い合わせます。",
        intro_en="Ask the whole collection with SPARQL: pick an example or write your own.",
        base=ctx.base, dump=dump, dump_bytes=ctx.files[dump].byte_size, limit_bytes=BROWSER_LIMIT_BYTES,
        default_query="PREFIX planlod: <https://w3id.org/planlod/def#>\n"
                      "SELECT ?evaluation ?result WHERE { ?evaluation planlod:result ?result } LIMIT 10",
    )
