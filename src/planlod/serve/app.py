"""planlod serve: the built site with content negotiation, and a read-only SPARQL 1.1 endpoint.

Read-only and bounded: only GET, HEAD, POST (to /sparql) and OPTIONS; updates refused; open connections,
the time to send a request, request size, queueing, query time, worker memory and answer size are
limited; nothing outside the site folder is served; every error, including those http.server raises
itself, is one JSON shape {"ok": false, "error": …, "status": …}. A large site's resource pages, which
it does not hold as files, are rendered on demand by the query workers (pages.py).
"""

from __future__ import annotations

import io
import mimetypes
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ..errors import PlanlodError
from ..formats import CONTENT_TYPES, DOCUMENT_FORMATS, HTML, N_TRIPLES
from ..large import STORE_DIR
from .answers import BUSY, error_body, error_page
from .conneg import negotiate
from .limits import DeadlineSocket, Refusal, body_length, clean_path, location, safe_host
from .pages import RenderedPages, read_site_info
from .sparql import EndpointSettings, QueryEngine, QueryRefused

# A resource's document by media type: the page and its twins (N-Triples is made from the Turtle twin).
DOC_TYPES = {f.media_type: "index" + f.suffix for f in DOCUMENT_FORMATS}
MEDIA_TYPES = CONTENT_TYPES
SD = "http://www.w3.org/ns/sparql-service-description#"


@dataclass(frozen=True)
class ServerSettings:
    site: Path
    endpoint: EndpointSettings = EndpointSettings()
    max_request_bytes: int = 100_000
    socket_timeout: float = 10.0       # seconds to send a whole request (line, headers, body), or to idle
    max_connections: int = 64          # open connections at most; more are answered 503 and closed


class PlanlodServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], settings: ServerSettings) -> None:
        site = settings.site.resolve()
        store = site / STORE_DIR
        dumps = [store] if store.is_dir() else sorted((site / "data").glob("*.nt"))
        if not dumps:
            raise PlanlodError("no N-Triples dump in the site", where=str(site), hint="run `planlod build` first")
        self.settings = settings
        self.site = site
        # A large site (an on-disk store, no per-resource pages): pages are rendered on demand (pages.py).
        info = read_site_info(site) if store.is_dir() else None
        self.on_demand = RenderedPages(info.base) if info else None
        self.slots = threading.BoundedSemaphore(settings.max_connections)
        self.engine = QueryEngine(dumps, settings.endpoint)
        try:
            super().__init__(address, Handler)
        except BaseException:
            self.engine.close()
            raise

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        # Headers and body leave in one write already; without Nagle nothing waits for a delayed ACK.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock, address

    def process_request(self, request: Any, client_address: Any) -> None:
        """One thread per connection, up to max_connections; past that a short 503 and the door closes."""
        if not self.slots.acquire(blocking=False):
            try:
                request.settimeout(1.0)
                request.sendall(BUSY)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

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
    # Errors found before the version is read are answered with headers too (http.server's default, 0.9, has none).
    default_request_version = "HTTP/1.0"
    wbufsize = 1 << 16  # buffered: a response's headers and body leave in one write (flushed per request)

    def setup(self) -> None:
        super().setup()
        # Every receive shares one deadline per request: a client that sends too slowly is dropped.
        self.reader = DeadlineSocket(self.connection, self.server.settings.socket_timeout)
        self.rfile = io.BufferedReader(self.reader, 1 << 16)

    def handle_one_request(self) -> None:
        self.reader.restart()
        self.arrived = time.monotonic()
        super().handle_one_request()

    def log_message(self, format: str, *args: Any) -> None:  # quiet: a library server, not a console one
        return

    # ---- responses -----------------------------------------------------------------------------
    def send_body(self, status: int, media_type: str | None, body: bytes,
                  headers: dict[str, str] | None = None) -> None:
        self.connection.settimeout(self.server.settings.socket_timeout)
        self.send_response(status)
        if media_type:
            self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("X-Content-Type-Options", "nosniff")
        if media_type and media_type.startswith("text/html"):
            self.send_header("Content-Security-Policy", "default-src 'self'; script-src 'self'; object-src 'none'")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.request_version == "HTTP/1.0" and not self.close_connection:
            self.send_header("Connection", "keep-alive")  # HTTP/1.0 clients wait for it to reuse the connection
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def redirect(self, status: int, target: str, headers: dict[str, str] | None = None) -> None:
        self.send_body(status, None, b"", {"Location": location(target), **(headers or {})})

    def fail(self, status: int, message: str, headers: dict[str, str] | None = None, close: bool = False) -> None:
        """The one error shape. close=True when a request body was left unread: the connection ends."""
        if close:
            self.close_connection = True
            headers = {**(headers or {}), "Connection": "close"}
        # Browsers (which ask for HTML first) get a page; API clients and everything else JSON.
        accept = self.headers.get("Accept") if getattr(self, "headers", None) is not None else None
        if accept and negotiate(accept, ["application/json", "text/html"]) == "text/html":
            self.send_body(status, "text/html; charset=utf-8", error_page(status, message), headers)
            return
        self.send_body(status, "application/json", error_body(status, message), headers)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors http.server raises itself (400, 414, 431, 501, …) in the same JSON shape."""
        phrase = message or (HTTPStatus(code).phrase if code in HTTPStatus._value2member_map_ else "error")
        self.fail(code, phrase, close=True)
        self.wfile.flush()

    # ---- methods ---------------------------------------------------------------------------------
    def do_OPTIONS(self) -> None:
        self.guarded(self.preflight)

    def preflight(self) -> None:
        self.send_body(HTTPStatus.NO_CONTENT, None, b"", {
            "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Accept, Content-Type", "Access-Control-Max-Age": "86400"})

    def do_GET(self) -> None:
        self.guarded(self.route)

    def do_HEAD(self) -> None:
        self.guarded(self.route)

    def do_POST(self) -> None:
        self.guarded(self.post)

    def post(self) -> None:
        if clean_path(self.path) != "/sparql":
            self.fail(405, "only /sparql accepts POST", {"Allow": "GET, HEAD, OPTIONS"}, close=True)
            return
        self.sparql()

    def guarded(self, handle: Any) -> None:
        """Refusals answer in the error shape; a fault of the server answers 500 without its details."""
        try:
            if self.command != "POST":
                # A body nobody reads would be taken for the next request: such a connection ends here.
                if body_length(self.headers, self.server.settings.max_request_bytes, needs_body=False):
                    self.close_connection = True
            handle()
        except Refusal as refusal:
            self.fail(refusal.status, str(refusal), close=refusal.close)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
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
        path = clean_path(self.path)
        if path == "/sparql":
            self.sparql()
        elif path == "/sparql-editor/endpoint.json":   # the site's editor then queries this server
            self.send_body(200, "application/json", b'{"endpoint": "/sparql"}\n')
        elif path.startswith("/id/"):
            self.thing(path[len("/id/"):])
        else:
            self.static(path)

    def thing(self, rest: str) -> None:
        rest = rest.strip("/")
        folder = self.server.site / "doc" / rest
        if not rest or not self.inside(folder):
            self.fail(404, "no such resource")
            return
        if not (folder / "index.html").is_file() and (self.server.on_demand is None
                                                      or self.rendered(rest) is None):
            self.fail(404, "no such resource")
            return
        media = negotiate(self.headers.get("Accept"), list(DOC_TYPES))
        suffix = "" if media in (None, HTML.media_type) else DOC_TYPES[media]
        self.redirect(303, f"/doc/{rest}/{suffix}", {"Vary": "Accept"})

    def rendered(self, rest: str) -> dict[str, bytes] | None:
        """A large site's page of {base}id/{rest}, rendered on demand; refusals (busy, too slow) raised."""
        try:
            assert self.server.on_demand is not None
            return self.server.on_demand.files(self.server.engine, rest, self.arrived)
        except QueryRefused as refused:
            raise Refusal(refused.status, str(refused)) from None

    def static(self, path: str) -> None:
        target = (self.server.site / path.lstrip("/")).resolve()
        if not self.inside(target) or any(part.startswith(".") for part in Path(path).parts):
            self.fail(404, "not found")
            return
        if not target.exists() and path.startswith("/doc/") and self.server.on_demand is not None:
            self.rendered_document(path)
            return
        if target.is_dir():
            if not path.endswith("/"):
                self.redirect(301, path + "/")
                return
            if path.startswith("/doc/"):
                self.document(lambda name: _read(target / name))
                return
            target = target / "index.html"
        if target.name == "index.nt" and path.startswith("/doc/"):
            self.ntriples(_read(target.with_name("index.ttl")))
            return
        if not target.is_file():
            self.fail(404, "not found")
            return
        self.send_body(200, MEDIA_TYPES.get(target.suffix, mimetypes.guess_type(target.name)[0]
                                            or "application/octet-stream"), target.read_bytes())

    def rendered_document(self, path: str) -> None:
        """/doc/{rest}/ and its files on a large site: the page rendered from the store."""
        rest, _, name = path[len("/doc/"):].rpartition("/")
        if name and name not in (*DOC_TYPES.values(), "index.nt"):
            rest, name = f"{rest}/{name}", ""
            if rest.strip("/") and self.rendered(rest.strip("/")) is not None:
                self.redirect(301, path + "/")
                return
        rest = rest.strip("/")
        files = self.rendered(rest) if rest else None
        if files is None:
            self.fail(404, "not found")
        elif name == "index.nt":
            self.ntriples(files["index.ttl"])
        elif name:
            self.send_body(200, MEDIA_TYPES[Path(name).suffix], files[name])
        else:
            self.document(files.get)

    def document(self, read: Callable[[str], bytes | None]) -> None:
        media = negotiate(self.headers.get("Accept"), list(DOC_TYPES))
        if media is None:
            self.fail(406, "available: " + ", ".join(DOC_TYPES), {"Vary": "Accept"})
            return
        if media == N_TRIPLES.media_type:
            self.ntriples(read("index.ttl"))
            return
        body = read(DOC_TYPES[media])
        if body is None:
            self.fail(404, "not found")
            return
        self.send_body(200, MEDIA_TYPES["." + DOC_TYPES[media].rsplit(".", 1)[-1]], body, {"Vary": "Accept"})

    def ntriples(self, turtle: bytes | None) -> None:
        import pyoxigraph as ox

        if turtle is None:
            self.fail(404, "not found")
            return
        triples = ox.parse(turtle, format=ox.RdfFormat.TURTLE)
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        self.send_body(200, N_TRIPLES.content_type, body, {"Vary": "Accept"})

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
            length = body_length(self.headers, self.server.settings.max_request_bytes, needs_body=True)
            body = self.rfile.read(length)
            if len(body) < length:
                raise Refusal(400, "the request body ended before its Content-Length")
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
            answer = self.server.engine.run(queries[0], self.headers.get("Accept"), self.arrived)
        except QueryRefused as refused:
            self.fail(refused.status, str(refused), {"Vary": "Accept", **refused.headers})
            return
        headers = {"Vary": "Accept"}
        if answer.truncated:
            headers["X-Planlod-Truncated"] = "true"
        charset = "; charset=utf-8" if answer.media_type.startswith("text/") else ""
        self.send_body(answer.status, answer.media_type + charset, answer.body, headers)

    def service_description(self) -> None:
        host, port = self.server.server_address[:2]
        bound = f"{host!s}:{port}" if isinstance(host, str) else f"127.0.0.1:{port}"
        endpoint = f"http://{safe_host(self.headers.get('Host'), bound)}/sparql"
        formats = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                   "Turtle", "JSON-LD", "N-Triples"]
        turtle = (f"@prefix sd: <{SD}> .\n<{endpoint}> a sd:Service ;\n    sd:endpoint <{endpoint}> ;\n"
                  "    sd:supportedLanguage sd:SPARQL11Query ;\n"
                  + "".join(f"    sd:resultFormat <http://www.w3.org/ns/formats/{f}> ;\n" for f in formats)
                  + "    sd:feature sd:EmptyGraphs .\n")
        media = negotiate(self.headers.get("Accept"), ["text/turtle", "application/n-triples", "text/html"])
        if media == "text/html":
            self.redirect(303, "/sparql-editor/", {"Vary": "Accept"})
            return
        self.send_body(200, "text/turtle; charset=utf-8", turtle.encode(), {"Vary": "Accept"})


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def create_server(settings: ServerSettings, host: str = "127.0.0.1", port: int = 8000) -> PlanlodServer:
    return PlanlodServer((host, port), settings)
