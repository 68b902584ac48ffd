"""planlod serve: the built site with content negotiation, and a read-only SPARQL 1.1 endpoint.

Read-only and bounded: only GET, HEAD, POST (to /sparql) and OPTIONS; updates refused; query time,
result size, request size and header wait are limited; nothing outside the site folder is served;
every error is one JSON shape {"ok": false, "error": …, "status": …}.
"""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from ..errors import PlanlodError
from ..queries import read_query
from .conneg import negotiate
from .sparql import EndpointSettings, QueryEngine, QueryRefused

STATIC = Path(__file__).parent / "static"
DOC_TYPES = {"text/html": "index.html", "text/turtle": "index.ttl", "application/ld+json": "index.jsonld",
             "application/n-triples": "index.ttl"}
MEDIA_TYPES = {".html": "text/html; charset=utf-8", ".ttl": "text/turtle; charset=utf-8",
               ".jsonld": "application/ld+json", ".nt": "application/n-triples", ".csv": "text/csv; charset=utf-8",
               ".json": "application/json", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
               ".rq": "application/sparql-query; charset=utf-8", ".svg": "image/svg+xml", ".txt": "text/plain"}
SD = "http://www.w3.org/ns/sparql-service-description#"


@dataclass(frozen=True)
class ServerSettings:
    site: Path
    endpoint: EndpointSettings = EndpointSettings()
    max_request_bytes: int = 100_000
    socket_timeout: float = 30.0


class PlanlodServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], settings: ServerSettings) -> None:
        site = settings.site.resolve()
        dumps = sorted((site / "data").glob("*.nt"))
        if not dumps:
            raise PlanlodError("no N-Triples dump in the site", where=str(site), hint="run `planlod build` first")
        self.settings = settings
        self.site = site
        self.engine = QueryEngine(dumps, settings.endpoint)
        self.examples = json.dumps([{"name": q.name, "purpose": q.purpose, "text": q.text}
                                    for q in (read_query(p) for p in sorted((site / "queries").glob("*.rq")))],
                                   ensure_ascii=False).encode()
        super().__init__(address, Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A broken connection is the client's business: no traceback on the console."""
        return

    def server_close(self) -> None:
        super().server_close()
        self.engine.close()


class Handler(BaseHTTPRequestHandler):
    server: PlanlodServer
    protocol_version = "HTTP/1.1"
    server_version = "planlod"
    sys_version = ""

    def setup(self) -> None:
        # A client that sends its headers too slowly is dropped (socketserver reads this attribute).
        self.request.settimeout(self.server.settings.socket_timeout)
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:  # quiet: a library server, not a console one
        return

    # ---- responses -----------------------------------------------------------------------------
    def send_body(self, status: int, media_type: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("X-Content-Type-Options", "nosniff")
        if media_type.startswith("text/html"):
            self.send_header("Content-Security-Policy", "default-src 'self'; script-src 'self'; object-src 'none'")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def fail(self, status: int, message: str, headers: dict[str, str] | None = None, close: bool = False) -> None:
        """The one error shape. close=True when a request body was left unread: the connection ends."""
        body = json.dumps({"ok": False, "error": message, "status": status}, ensure_ascii=False).encode()
        if close:
            self.close_connection = True
            headers = {**(headers or {}), "Connection": "close"}
        self.send_body(status, "application/json", body, headers)

    # ---- methods ---------------------------------------------------------------------------------
    def do_OPTIONS(self) -> None:
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Accept, Content-Type")
        self.send_header("Access-Control-Max-Age", "86400")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self.guarded(self.route)

    def do_HEAD(self) -> None:
        self.guarded(self.route)

    def do_POST(self) -> None:
        if urlsplit(self.path).path != "/sparql":
            self.fail(405, "only /sparql accepts POST", {"Allow": "GET, HEAD, OPTIONS"}, close=True)
            return
        self.guarded(self.sparql)

    def guarded(self, handle: Any) -> None:
        """A fault of the server answers 500 in the error shape; the details stay out of the response."""
        try:
            handle()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception:
            self.fail(500, "internal error", close=True)

    def _refuse_method(self) -> None:
        self.fail(405, "this server is read-only", {"Allow": "GET, HEAD, POST, OPTIONS"}, close=True)

    do_PUT = do_DELETE = do_PATCH = _refuse_method  # noqa: N815 - http.server dispatches on these names

    # ---- routing ---------------------------------------------------------------------------------
    def route(self) -> None:
        if len(self.path) > 8192:
            self.fail(414, "the request line is too long")
            return
        path = unquote(urlsplit(self.path).path)
        if path == "/sparql":
            self.sparql()
        elif path.startswith("/id/"):
            self.thing(path[len("/id/"):])
        elif path == "/sparql-editor":
            self.send_body(301, "application/json", b"", {"Location": "/sparql-editor/"})
        elif path.startswith("/sparql-editor/"):
            self.editor(path[len("/sparql-editor/"):])
        else:
            self.static(path)

    def thing(self, rest: str) -> None:
        rest = rest.strip("/")
        folder = self.server.site / "doc" / rest
        if not rest or not self.inside(folder) or not (folder / "index.html").is_file():
            self.fail(404, "no such resource")
            return
        media = negotiate(self.headers.get("Accept"), list(DOC_TYPES))
        suffix = {"text/turtle": "index.ttl", "application/ld+json": "index.jsonld",
                  "application/n-triples": "index.nt"}.get(media or "", "")
        self.send_body(303, "application/json", b"", {"Location": f"/doc/{rest}/{suffix}", "Vary": "Accept"})

    def static(self, path: str) -> None:
        target = (self.server.site / path.lstrip("/")).resolve()
        if not self.inside(target) or any(part.startswith(".") for part in Path(path).parts):
            self.fail(404, "not found")
            return
        if target.is_dir():
            if not path.endswith("/"):
                self.send_body(301, "application/json", b"", {"Location": path + "/"})
                return
            if path.startswith("/doc/"):
                self.document(target)
                return
            target = target / "index.html"
        if target.name == "index.nt" and path.startswith("/doc/"):
            self.ntriples(target.with_name("index.ttl"))
            return
        if not target.is_file():
            self.fail(404, "not found")
            return
        self.send_body(200, MEDIA_TYPES.get(target.suffix, mimetypes.guess_type(target.name)[0]
                                            or "application/octet-stream"), target.read_bytes())

    def document(self, folder: Path) -> None:
        media = negotiate(self.headers.get("Accept"), list(DOC_TYPES))
        if media is None:
            self.fail(406, "available: " + ", ".join(DOC_TYPES), {"Vary": "Accept"})
            return
        if media == "application/n-triples":
            self.ntriples(folder / "index.ttl")
            return
        target = folder / DOC_TYPES[media]
        if not target.is_file():
            self.fail(404, "not found")
            return
        self.send_body(200, MEDIA_TYPES[target.suffix], target.read_bytes(), {"Vary": "Accept"})

    def ntriples(self, turtle: Path) -> None:
        import pyoxigraph as ox

        if not turtle.is_file() or not self.inside(turtle):
            self.fail(404, "not found")
            return
        triples = ox.parse(turtle.read_bytes(), format=ox.RdfFormat.TURTLE)
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        self.send_body(200, "application/n-triples", body, {"Vary": "Accept"})

    def editor(self, rest: str) -> None:
        if rest == "examples.json":
            self.send_body(200, "application/json", self.server.examples)
            return
        name = rest or "editor.html"
        if name == "index.html":
            name = "editor.html"
        target = (STATIC / name).resolve()
        if target.parent != STATIC.resolve() or not target.is_file():
            self.fail(404, "not found")
            return
        self.send_body(200, MEDIA_TYPES.get(target.suffix, "application/octet-stream"), target.read_bytes())

    def inside(self, target: Path) -> bool:
        try:
            target.resolve().relative_to(self.server.site)
            return True
        except ValueError:
            return False

    # ---- SPARQL 1.1 Protocol ----------------------------------------------------------------------
    def sparql(self) -> None:
        params = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
        if self.command == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            if length > self.server.settings.max_request_bytes:
                self.fail(413, f"the request is larger than {self.server.settings.max_request_bytes} bytes",
                          close=True)
                return
            body = self.rfile.read(length)
            content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if content_type == "application/sparql-update":
                self.fail(403, "this endpoint is read-only: updates are refused")
                return
            if content_type == "application/sparql-query":
                params.setdefault("query", []).append(body.decode("utf-8", "replace"))
            elif content_type == "application/x-www-form-urlencoded":
                for key, values in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                    params.setdefault(key, []).extend(values)
            else:
                self.fail(415, "send application/sparql-query or application/x-www-form-urlencoded")
                return
        if "update" in params:
            self.fail(403, "this endpoint is read-only: updates are refused")
            return
        queries = params.get("query", [])
        if not queries:
            self.service_description()
            return
        if len(queries) > 1:
            self.fail(400, "exactly one query parameter is allowed")
            return
        try:
            answer = self.server.engine.run(queries[0], self.headers.get("Accept"))
        except QueryRefused as refused:
            self.fail(refused.status, str(refused), {"Vary": "Accept"})
            return
        headers = {"Vary": "Accept"}
        if answer.truncated:
            headers["X-Planlod-Truncated"] = "true"
        charset = "; charset=utf-8" if answer.media_type.startswith("text/") else ""
        self.send_body(answer.status, answer.media_type + charset, answer.body, headers)

    def service_description(self) -> None:
        endpoint = f"http://{self.headers.get('Host', 'localhost')}/sparql"
        formats = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                   "Turtle", "JSON-LD", "N-Triples"]
        turtle = (f"@prefix sd: <{SD}> .\n<{endpoint}> a sd:Service ;\n    sd:endpoint <{endpoint}> ;\n"
                  "    sd:supportedLanguage sd:SPARQL11Query ;\n"
                  + "".join(f"    sd:resultFormat <http://www.w3.org/ns/formats/{f}> ;\n" for f in formats)
                  + "    sd:feature sd:EmptyGraphs .\n")
        media = negotiate(self.headers.get("Accept"), ["text/turtle", "application/n-triples", "text/html"])
        if media == "text/html":
            self.send_body(303, "application/json", b"", {"Location": "/sparql-editor/", "Vary": "Accept"})
            return
        self.send_body(200, "text/turtle; charset=utf-8", turtle.encode(), {"Vary": "Accept"})


def create_server(settings: ServerSettings, host: str = "127.0.0.1", port: int = 8000) -> PlanlodServer:
    return PlanlodServer((host, port), settings)
