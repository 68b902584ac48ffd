"""planlod serve, over real HTTP: conneg, 303/200, SPARQL 1.1 Protocol, limits, errors, path traversal."""

from __future__ import annotations

import http.client
import json
import threading
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import requests
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from SPARQLWrapper import JSON, SPARQLWrapper

from planlod.queries import example_queries, run_query
from planlod.serve import EndpointSettings, ServerSettings, create_server

from .conftest import bundled_graph, minted_iris

THING = "/id/plan/151076/vision-3/goal/III"
DOC = "/doc/plan/151076/vision-3/goal/III/"
HEAVY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")


def get(server: str, path: str, accept: str | None = None, **kwargs) -> requests.Response:  # type: ignore[no-untyped-def]
    headers = {"Accept": accept} if accept else {}
    return requests.get(server + path, headers=headers, allow_redirects=False, timeout=30, **kwargs)


# ---- things and documents -----------------------------------------------------------------------
@pytest.mark.parametrize(("accept", "location"), [
    (None, DOC), ("text/html", DOC), ("text/turtle", DOC + "index.ttl"),
    ("application/ld+json", DOC + "index.jsonld"), ("application/n-triples", DOC + "index.nt"),
    ("text/turtle;q=0.2, application/ld+json;q=0.9", DOC + "index.jsonld"),
])
def test_things_answer_303_to_their_document(server: str, accept: str | None, location: str) -> None:
    response = get(server, THING, accept)
    assert response.status_code == 303 and response.headers["Location"] == location
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize(("accept", "media_type", "parse"), [
    ("text/turtle", "text/turtle", "turtle"), ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"), ("text/html", "text/html", None),
    ("*/*", "text/html", None), ("text/*;q=0.5, application/ld+json", "application/ld+json", "json-ld"),
])
def test_documents_are_negotiated(server: str, accept: str, media_type: str, parse: str | None) -> None:
    response = get(server, DOC, accept)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].split(";")[0] == media_type
    assert "Accept" in response.headers["Vary"]
    if parse:
        graph = Graph().parse(data=response.content, format=parse)
        assert (URIRef("https://w3id.org/planlod/id/plan/151076/vision-3/goal/III"), None, None) in graph
    else:
        assert "だれもが学び合える学術と文化のまち" in response.text


def test_following_the_redirect_gives_the_same_graph_in_every_format(server: str) -> None:
    graphs = []
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                        ("application/n-triples", "nt")):
        response = requests.get(server + THING, headers={"Accept": accept}, timeout=30)
        assert response.status_code == 200
        graphs.append(Graph().parse(data=response.content, format=fmt))
    assert isomorphic(graphs[0], graphs[1]) and isomorphic(graphs[0], graphs[2])


def test_406_for_what_cannot_be_given(server: str) -> None:
    response = get(server, DOC, "image/png")
    assert response.status_code == 406 and response.json()["status"] == 406


def test_static_files_have_their_media_types(server: str) -> None:
    for path, media in (("/index.html", "text/html"), ("/catalog.ttl", "text/turtle"),
                        ("/catalog.jsonld", "application/ld+json"), ("/assets/style.css", "text/css"),
                        ("/data/151076-vision-3-fy2020.nt", "application/n-triples"),
                        ("/queries/totals-by-result.rq", "application/sparql-query")):
        response = get(server, path)
        assert response.status_code == 200 and response.headers["Content-Type"].startswith(media), path
        assert response.headers["X-Content-Type-Options"] == "nosniff"


# ---- SPARQL 1.1 Protocol --------------------------------------------------------------------------
def _values(rows: list[list[object]]) -> list[tuple[str, ...]]:
    def norm(value: object) -> str:
        text = str(value) if value is not None else ""
        try:
            return str(Decimal(text).normalize()) if isinstance(value, Literal) or value is None else text
        except InvalidOperation:
            return text
    return sorted(tuple(norm(v) for v in row) for row in rows)


def _json_rows(document: dict) -> list[tuple[str, ...]]:  # type: ignore[type-arg]
    names = document["head"]["vars"]
    rows = []
    for binding in document["results"]["bindings"]:
        row = []
        for name in names:
            term = binding.get(name)
            if term is None:
                row.append(None)
            elif term["type"] == "uri":
                row.append(URIRef(term["value"]))
            else:
                row.append(Literal(term["value"]))
        rows.append(row)
    return _values(rows)


@pytest.fixture(scope="module")
def embedded() -> Graph:
    return bundled_graph()


@pytest.mark.parametrize("query", example_queries(), ids=lambda q: q.name)
def test_sparqlwrapper_gets_the_embedded_answers(server: str, embedded: Graph, query) -> None:  # type: ignore[no-untyped-def]
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(query.text)
    client.setReturnFormat(JSON)
    document = client.query().convert()
    names, rows = run_query(embedded, query)
    assert document["head"]["vars"] == names
    assert _json_rows(document) == _values(rows)


QUERY = ("SELECT ?g ?n WHERE { ?g a <https://w3id.org/planlod/def#Goal> ; "
         "<http://www.w3.org/2004/02/skos/core#notation> ?n } ORDER BY ?n")


@pytest.mark.parametrize("method", ["get", "form", "direct"])
@pytest.mark.parametrize(("accept", "media_type"), [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values"),
    (None, "application/sparql-results+json"),
])
def test_select_in_every_result_format_by_every_method(server: str, method: str, accept: str | None,
                                                       media_type: str) -> None:
    headers = {"Accept": accept} if accept else {}
    if method == "get":
        response = requests.get(server + "/sparql", params={"query": QUERY}, headers=headers, timeout=30)
    elif method == "form":
        response = requests.post(server + "/sparql", data={"query": QUERY}, headers=headers, timeout=30)
    else:
        response = requests.post(server + "/sparql", data=QUERY.encode(), timeout=30,
                                 headers={**headers, "Content-Type": "application/sparql-query"})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].split(";")[0] == media_type
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    text = response.text
    for numeral in ("I", "II", "III", "IV", "V"):
        assert f"/goal/{numeral}" in text


def test_ask_and_construct_and_describe(server: str) -> None:
    ask = requests.post(server + "/sparql", data={"query": "ASK { ?s a <https://w3id.org/planlod/def#Plan> }"},
                        timeout=30)
    assert ask.json() == {"head": {}, "boolean": True}
    construct = "CONSTRUCT { ?g ?p ?o } WHERE { ?g a <https://w3id.org/planlod/def#Goal> ; ?p ?o }"
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                        ("application/n-triples", "nt")):
        response = requests.post(server + "/sparql", data={"query": construct}, headers={"Accept": accept},
                                 timeout=30)
        assert response.status_code == 200 and response.headers["Content-Type"].startswith(accept)
        assert len(Graph().parse(data=response.content, format=fmt)) > 20
    describe = requests.get(server + "/sparql", timeout=30, headers={"Accept": "text/turtle"},
                            params={"query": "DESCRIBE <https://w3id.org/planlod/id/org/151076>"})
    assert describe.status_code == 200 and "151076" in describe.text


def test_service_description(server: str) -> None:
    response = get(server, "/sparql", "text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in graph
    assert get(server, "/sparql", "text/html").headers["Location"] == "/sparql-editor/"


def test_cors_preflight(server: str) -> None:
    response = requests.options(server + "/sparql", timeout=30, headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*" and "POST" in response.headers[
        "Access-Control-Allow-Methods"]


# ---- refusals: one error shape everywhere ---------------------------------------------------------
def _assert_error(response: requests.Response, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert body["ok"] is False and body["status"] == status and words in body["error"]
    assert "Traceback" not in response.text


def test_malformed_query_gets_400_with_the_parsers_message(server: str) -> None:
    response = requests.post(server + "/sparql", data={"query": "SELEC ?x"}, timeout=30)
    _assert_error(response, 400, "malformed query")
    assert "(line:1, col:1)" in response.json()["error"]


@pytest.mark.parametrize("request_kind", ["form", "direct", "get"])
def test_updates_are_refused(server: str, request_kind: str) -> None:
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    if request_kind == "form":
        response = requests.post(server + "/sparql", data={"update": update}, timeout=30)
    elif request_kind == "direct":
        response = requests.post(server + "/sparql", data=update, timeout=30,
                                 headers={"Content-Type": "application/sparql-update"})
    else:
        response = requests.get(server + "/sparql", params={"update": update}, timeout=30)
    _assert_error(response, 403, "read-only")
    assert requests.post(server + "/sparql", data={"query": "ASK { <urn:a> <urn:b> <urn:c> }"},
                         timeout=30).json()["boolean"] is False


def test_an_update_sent_as_a_query_is_not_run(server: str) -> None:
    _assert_error(requests.post(server + "/sparql", data={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"},
                                timeout=30), 400, "malformed query")


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_writing_methods_are_refused(server: str, method: str) -> None:
    _assert_error(requests.request(method, server + "/index.html", timeout=30), 405, "read-only")


def test_post_elsewhere_is_refused(server: str) -> None:
    _assert_error(requests.post(server + "/index.html", data="x", timeout=30), 405, "only /sparql")


def test_federated_queries_are_refused(server: str) -> None:
    _assert_error(requests.post(server + "/sparql", timeout=30, data={
        "query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"}), 400, "SERVICE")


def test_request_size_is_limited(server: str) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 200_000
    _assert_error(requests.post(server + "/sparql", data={"query": big}, timeout=30), 413, "larger than")


def test_unsupported_content_type(server: str) -> None:
    _assert_error(requests.post(server + "/sparql", data="x", headers={"Content-Type": "text/plain"},
                                timeout=30), 415, "application/sparql-query")


def test_406_for_results_in_an_unknown_format(server: str) -> None:
    _assert_error(requests.post(server + "/sparql", data={"query": QUERY}, headers={"Accept": "image/png"},
                                timeout=30), 406, "acceptable")


@pytest.mark.parametrize("path", [
    "/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/doc/../../etc/passwd",
    "/..%2f..%2f..%2fetc%2fpasswd", "/.htaccess", "/doc/%2e%2e/%2e%2e/%2e%2e/etc/passwd/", "/id/../../etc/passwd",
    "/sparql-editor/../app.py", "/sparql-editor/%2e%2e/app.py", "//etc/passwd",
])
def test_nothing_outside_the_site_is_served(server: str, path: str) -> None:
    host = urlsplit(server).netloc
    connection = http.client.HTTPConnection(host, timeout=30)
    connection.request("GET", path)                       # sent as written: no client-side normalisation
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    assert response.status == 404, (path, response.status, body[:200])
    assert "root:" not in body and "import" not in body
    assert json.loads(body)["status"] == 404


def test_a_slow_query_is_stopped_and_the_endpoint_keeps_working(site: Path) -> None:
    httpd = create_server(ServerSettings(site, EndpointSettings(timeout=1.0, workers=1)), "127.0.0.1", 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/sparql"
    try:
        _assert_error(requests.post(url, data={"query": HEAVY}, timeout=60), 503, "longer than 1 s")
        answer = requests.post(url, data={"query": QUERY}, timeout=60)
        assert answer.status_code == 200, answer.text
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_results_are_capped(site: Path) -> None:
    httpd = create_server(ServerSettings(site, EndpointSettings(max_rows=7, workers=1)), "127.0.0.1", 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/sparql"
    try:
        response = requests.post(url, data={"query": "SELECT * WHERE { ?s ?p ?o }"}, timeout=60)
        assert len(response.json()["results"]["bindings"]) == 7
        assert response.headers["X-Planlod-Truncated"] == "true"
        construct = requests.post(url, data={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, timeout=60,
                                  headers={"Accept": "application/n-triples"})
        assert len(construct.text.strip().splitlines()) == 7
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_sites_editor_is_told_to_use_this_endpoint(server: str, site: Path) -> None:
    page = get(server, "/sparql-editor/")
    assert page.status_code == 200 and 'assets/editor.js' in page.text and "cdn" not in page.text.lower()
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    examples = get(server, "/sparql-editor/examples.json").json()
    assert {e["name"] for e in examples} == {q.name for q in example_queries()}
    # the static site says it has no endpoint; the server says it has one
    assert json.loads((site / "sparql-editor" / "endpoint.json").read_text()) == {"endpoint": None}
    assert get(server, "/sparql-editor/endpoint.json").json() == {"endpoint": "/sparql"}


def test_no_query_string_escapes_into_html(server: str) -> None:
    response = get(server, "/doc/<script>alert(1)</script>/")
    assert response.status_code == 404 and "<script>" not in response.text
    assert response.headers["Content-Type"] == "application/json"


def test_serve_without_a_built_site(tmp_path: Path) -> None:
    from planlod.errors import PlanlodError

    with pytest.raises(PlanlodError, match="no N-Triples dump"):
        create_server(ServerSettings(tmp_path), "127.0.0.1", 0)


def test_query_string_is_urlencoded(server: str) -> None:
    response = requests.get(server + "/sparql?" + urlencode({"query": QUERY}), timeout=30)
    assert response.status_code == 200


def test_a_client_that_stalls_is_dropped(site: Path) -> None:
    import socket

    httpd = create_server(ServerSettings(site, EndpointSettings(workers=1), socket_timeout=1.0), "127.0.0.1", 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        with socket.create_connection(("127.0.0.1", httpd.server_address[1]), timeout=10) as sock:
            sock.sendall(b"GET /index.html HTTP/1.1\r\nHost: x\r\n")          # never finishes its headers
            sock.settimeout(10)
            assert sock.recv(100) == b""                                    # the server hangs up
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_planlod_serve_command(site: Path) -> None:
    import subprocess
    import sys
    import time

    from .conftest import free_port

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "planlod", "serve", "--site", str(site), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = requests.get(f"http://127.0.0.1:{port}/sparql", timeout=5,
                                        params={"query": "ASK { ?s ?p ?o }"})
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline and process.poll() is None, process.stderr.read()  # type: ignore[union-attr]
                time.sleep(0.3)
        assert response.json()["boolean"] is True
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_every_minted_iri_resolves(server: str, site: Path) -> None:
    """Issue 11: every IRI of every published graph (data, catalog, VoID, validation and conformance
    reports) answers 303 and then 200, in HTML and Turtle."""
    session = requests.Session()
    missing = []
    for iri in minted_iris(site):
        path = iri.removeprefix("https://w3id.org/planlod")
        for accept in ("text/html", "text/turtle"):
            response = session.get(server + path, headers={"Accept": accept}, timeout=10)
            if response.status_code != 200 or not response.headers["Content-Type"].startswith(accept):
                missing.append(f"{response.status_code} {accept} {path}")
    assert missing == []


@pytest.mark.parametrize(("accept", "media_type"), [
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),   # a browser
    (None, "application/json"), ("*/*", "application/json"), ("application/json", "application/json"),
    ("application/sparql-results+json", "application/json"),
])
def test_errors_are_pages_for_browsers_and_json_for_the_rest(server: str, accept: str | None,
                                                            media_type: str) -> None:
    """Issue 11: a browser's 404 is a page (escaped, with a way home); API clients keep the JSON shape."""
    response = requests.get(server + "/doc/no/such/<script>x</script>/", timeout=10,
                            headers={"Accept": accept} if accept else {})
    assert response.status_code == 404 and response.headers["Content-Type"].startswith(media_type)
    if media_type == "text/html":
        assert "<script>" not in response.text and 'href="/"' in response.text and 'lang="ja"' in response.text
    else:
        assert response.json()["status"] == 404


def test_redirects_carry_no_content_type(server: str) -> None:
    response = requests.get(server + "/id/plan/151076/vision-3", allow_redirects=False, timeout=10)
    assert response.status_code == 303 and "Content-Type" not in response.headers
