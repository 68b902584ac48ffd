"""planlod publish into a real Virtuoso, and every example query there gives the embedded answers."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from planlod.cli import main
from planlod.pipeline import graph_of
from planlod.queries import example_queries, run_query

from .conftest import BUNDLED, bundled_graph
from .test_serve import _json_rows, _values

GRAPH = "https://w3id.org/planlod/id/dataset/151076-vision-3-fy2020"


@pytest.fixture
def credentials(virtuoso: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("PLANLOD_STORE_USER", virtuoso["user"])
    monkeypatch.setenv("PLANLOD_STORE_PASSWORD", virtuoso["password"])
    return virtuoso


def count(virtuoso: dict[str, str], graph: str = GRAPH) -> int:
    response = requests.post(virtuoso["query"], timeout=60, headers={"Accept": "application/sparql-results+json"},
                             data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"})
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_publish_loads_one_named_graph_and_replaces_it(credentials: dict[str, str], site: Path) -> None:
    args = ["publish", "--endpoint", credentials["gsp"], "--query-endpoint", credentials["query"],
            "--site", str(site)]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    triples = len(graph_of(BUNDLED))
    assert f"Loaded {triples} triples into <{GRAPH}>" in first.stderr
    assert count(credentials) == triples
    again = CliRunner().invoke(main, args)                      # replace, not add
    assert again.exit_code == 0 and count(credentials) == triples


def test_publish_into_another_graph(credentials: dict[str, str], nishi_site: Path) -> None:
    other = "https://example.org/graph/planlod-test"
    result = CliRunner().invoke(main, ["publish", "--endpoint", credentials["gsp"], "--graph", other,
                                       "--site", str(nishi_site)])
    assert result.exit_code == 0, result.output
    assert count(credentials, other) == len(graph_of(BUNDLED))


def test_each_report_goes_into_its_own_named_graph(credentials: dict[str, str], site: Path) -> None:
    result = CliRunner().invoke(main, ["publish", "--endpoint", credentials["gsp"], "--query-endpoint",
                                       credentials["query"], "--site", str(site)])
    assert result.exit_code == 0, result.output
    for nt in sorted((site / "data").glob("*.nt")):
        graph = f"https://w3id.org/planlod/id/dataset/{nt.stem}"
        assert count(credentials, graph) == len(Graph().parse(nt, format="nt")), nt.name
    refused = CliRunner().invoke(main, ["publish", "--endpoint", credentials["gsp"], "--graph", "urn:x:one",
                                        "--site", str(site)])
    assert refused.exit_code == 2 and "holds 4 reports" in refused.stderr


@pytest.mark.parametrize("query", example_queries(), ids=lambda q: q.name)
def test_every_example_gives_the_same_answer_in_virtuoso(credentials: dict[str, str], site: Path, query) -> None:  # type: ignore[no-untyped-def]
    CliRunner().invoke(main, ["publish", "--endpoint", credentials["gsp"], "--site", str(site)])
    response = requests.post(credentials["query"], timeout=120, headers={"Accept": "application/sparql-results+json"},
                             data={"query": query.text, "default-graph-uri": [
                                 f"https://w3id.org/planlod/id/dataset/{nt.stem}"
                                 for nt in sorted((site / "data").glob("*.nt"))]})
    assert response.status_code == 200, response.text[:500]
    names, rows = run_query(bundled_graph(), query)
    document = response.json()
    assert document["head"]["vars"] == names
    assert _json_rows(document) == _values(rows)


def test_wrong_credentials_are_a_clear_refusal(virtuoso: dict[str, str], site: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANLOD_STORE_USER", "dba")
    monkeypatch.setenv("PLANLOD_STORE_PASSWORD", "not-the-password")
    result = CliRunner().invoke(main, ["publish", "--endpoint", virtuoso["gsp"], "--site", str(site)])
    assert result.exit_code == 2
    assert "the store refused the credentials (401)" in result.stderr and "PLANLOD_STORE_USER" in result.stderr


def test_no_credentials_no_write(virtuoso: dict[str, str], site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANLOD_STORE_USER", raising=False)
    result = CliRunner().invoke(main, ["publish", "--endpoint", virtuoso["gsp"], "--site", str(site)])
    assert result.exit_code == 2 and "refused the credentials" in result.stderr


def test_unreachable_store(site: Path) -> None:
    from .conftest import free_port

    result = CliRunner().invoke(main, ["publish", "--endpoint", f"http://127.0.0.1:{free_port()}/gsp",
                                       "--site", str(site)])
    assert result.exit_code == 2 and "cannot reach the store" in result.stderr and "Traceback" not in result.output


def test_credentials_never_on_the_command_line() -> None:
    result = CliRunner().invoke(main, ["publish", "--help"])
    assert "--password" not in result.output and "--user" not in result.output
    assert "PLANLOD_STORE_PASSWORD" in result.output


def test_literal_types_survive_the_round_trip(credentials: dict[str, str], site: Path) -> None:
    CliRunner().invoke(main, ["publish", "--endpoint", credentials["gsp"], "--site", str(site)])
    query = ("SELECT ?count WHERE { ?d a <https://w3id.org/planlod/def#DeclaredCount> ; "
             "<https://w3id.org/planlod/def#summaryTable> 'overall' ; "
             "<https://w3id.org/planlod/def#resultCategory> <https://w3id.org/planlod/def#allResults> ; "
             "<https://w3id.org/planlod/def#count> ?count }")
    response = requests.post(credentials["query"], timeout=60, headers={"Accept": "application/sparql-results+json"},
                             data={"query": query, "default-graph-uri": GRAPH})
    assert _json_rows(response.json()) == _values([[Literal(103)]])
    assert URIRef(GRAPH)


# ---- issue 8, item 14: stores that never answer, drip, echo credentials or redirect ------------------
class FakeStore:
    """A loopback HTTP peer that behaves as told: 'silent', 'drip', 'echo' (500 with the request's headers)
    or 'redirect' (307 to `target`). It records every request line it is sent."""

    def __init__(self, behaviour: str, target: str = "") -> None:
        import socket
        import threading

        self.behaviour, self.target, self.requests = behaviour, target, []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/gsp"
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        import contextlib
        import time

        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn, contextlib.suppress(OSError):
                conn.settimeout(2)
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    head += chunk
                self.requests.append(head.split(b"\r\n", 1)[0])
                if self.behaviour == "silent":
                    self.stop.wait(30)
                elif self.behaviour == "drip":
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
                    while not self.stop.is_set():
                        conn.sendall(b"x")
                        time.sleep(0.3)
                elif self.behaviour == "echo":
                    body = b"<pre>" + head + b"</pre>"
                    conn.sendall(b"HTTP/1.1 500 Oops\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
                                 + body)
                elif self.behaviour == "redirect":
                    conn.sendall(b"HTTP/1.1 307 Temporary Redirect\r\nLocation: " + self.target.encode()
                                 + b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.sock.close()


def _publish(site: Path, endpoint: str, *extra: str) -> tuple[int, str, float]:
    import time

    started = time.monotonic()
    result = CliRunner().invoke(main, ["publish", "--endpoint", endpoint, "--site", str(site), *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output, time.monotonic() - started


def test_a_store_that_never_answers_is_given_up_on_issue_8(site: Path) -> None:
    store = FakeStore("silent")
    try:
        code, output, took = _publish(site, store.url, "--read-timeout", "1")
    finally:
        store.close()
    assert code == 2 and "cannot reach the store" in output and took < 10


def test_a_store_that_drips_is_stopped_at_the_total_time_issue_8(site: Path) -> None:
    store = FakeStore("drip")
    try:
        code, output, took = _publish(site, store.url, "--read-timeout", "5", "--timeout", "2")
    finally:
        store.close()
    assert code == 2 and "did not finish within 2 s" in output and took < 10


def test_credentials_are_never_printed_issue_8(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANLOD_STORE_USER", "dba")
    monkeypatch.setenv("PLANLOD_STORE_PASSWORD", "s3cret-env")
    monkeypatch.setenv("PLANLOD_STORE_AUTH", "basic")
    store = FakeStore("echo")
    try:
        with_userinfo = store.url.replace("http://", "http://urluser:s3cret-url@")
        code, output, _ = _publish(site, with_userinfo)
    finally:
        store.close()
    assert code == 2 and "refused the data: 500" in output
    assert store.requests, "the fake store saw no request"
    for secret in ("s3cret-env", "s3cret-url", "urluser:", "ZGJhOnMzY3JldC1lbnY="):
        assert secret not in output


def test_redact_blanks_authorization_lines_and_every_form_of_the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    from planlod.store import redact, visible_url

    monkeypatch.setenv("PLANLOD_STORE_USER", "dba")
    monkeypatch.setenv("PLANLOD_STORE_PASSWORD", "pw1")
    url = "http://u:pw2@127.0.0.1:1/x"
    text = "Authorization: Basic ZGJhOnB3MQ==\nx pw1 u:pw2 dba:pw1 y\nproxy-authorization=Digest abc\n"
    assert redact(text, url) == "Authorization: ***\nx *** *** *** y\nproxy-authorization= ***\n"
    assert visible_url(url) == "http://127.0.0.1:1/x"


def test_a_write_is_not_redirected_to_another_host_issue_8(site: Path) -> None:
    elsewhere = FakeStore("echo")
    store = FakeStore("redirect", target=elsewhere.url.replace("127.0.0.1", "127.0.0.2"))
    try:
        code, output, _ = _publish(site, store.url)
    finally:
        store.close()
        elsewhere.close()
    assert code == 2 and "redirects to http://127.0.0.2" in output and "Loaded" not in output
    assert elsewhere.requests == []
