from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).parent
ROOT = HERE.parent
BUNDLED = ROOT / "data" / "source" / "niigata-nishi-ward_vision-plan-3_progress_fy2020.txt"
LAYOUT_CASES = sorted(p for p in (HERE / "cases" / "layout").iterdir() if p.is_dir())
NISHI_REPORT = "reports/151076-vision-3-fy2020/index.html"


def bundled_graph():  # type: ignore[no-untyped-def]
    """The bundled collection's data: every report's graph together (what the site's store holds)."""
    from rdflib import Graph

    from planlod.bundled import BUNDLED_DATA
    from planlod.pipeline import build_reports, find_sources

    union = Graph()
    for report in build_reports(find_sources(BUNDLED_DATA)):
        union += report.graph
    return union


@pytest.fixture
def minimal_text() -> str:
    """A small, complete progress table (3 rows, all 達成) to break in tests."""
    return (HERE / "cases" / "layout" / "continuation-rows" / "input.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def bundled_table():  # type: ignore[no-untyped-def]
    from planlod.pipeline import read_progress_table

    return read_progress_table(BUNDLED)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data built once into a temporary site folder."""
    from planlod.pipeline import build_site

    out = tmp_path_factory.mktemp("build") / "site"
    assert build_site(None, out).published
    return out


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def nishi_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Nishi Ward FY2020 alone, built into a site of one report."""
    from planlod.pipeline import build_site

    out = tmp_path_factory.mktemp("build-nishi") / "site"
    assert build_site([BUNDLED], out).published
    return out


@pytest.fixture(scope="session")
def server(site: Path):  # type: ignore[no-untyped-def]
    """planlod serve on 127.0.0.1 and a free port, for the whole session; yields its base URL."""
    import threading

    from planlod.serve import EndpointSettings, ServerSettings, create_server

    httpd = create_server(ServerSettings(site, EndpointSettings(timeout=5.0, max_rows=10_000, workers=2)),
                          "127.0.0.1", 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@contextlib.contextmanager
def running_virtuoso(folder: Path) -> Iterator[dict[str, str]]:
    """A real Virtuoso (Debian's virtuoso-opensource) on 127.0.0.1, free ports, its own database in `folder`."""
    import shutil
    import subprocess
    import time
    import urllib.request

    binary = shutil.which("virtuoso-t")
    assert binary, "Debian's virtuoso-opensource is missing: run scripts/install-test-deps.sh"
    sql_port, http_port = free_port(), free_port()
    vsp = "/var/lib/virtuoso-opensource-7/vsp"
    (folder / "virtuoso.ini").write_text(f"""[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = ., {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {vsp}
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
""", encoding="utf-8")
    process = subprocess.Popen([binary, "-f", "-c", str(folder / "virtuoso.ini")], cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            log = (folder / "virtuoso.log").read_text(errors="replace")[-2000:]
            process.kill()
            pytest.fail(f"Virtuoso did not start:\n{log}")
        time.sleep(0.5)
    try:
        yield {"gsp": f"{base}/sparql-graph-crud-auth", "query": f"{base}/sparql", "user": "dba", "password": "dba",
               "isql": f"127.0.0.1:{sql_port}", "folder": str(folder)}   # folder: in DirsAllowed (bulk loads)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The tests' shared Virtuoso."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as found:
        yield found


def minted_iris(site: Path, base: str = "https://w3id.org/planlod/") -> list[str]:
    """Every IRI under {base}id/ that a published graph of the site holds (data, catalog, VoID, the
    validation and conformance reports): each must resolve."""
    from rdflib import Graph, URIRef

    found: set[str] = set()
    for path in [*sorted(site.glob("data/*.nt")), site / "catalog.ttl", site / "void.ttl",
                 site / "validation-report.ttl", site / "conformance-report.ttl"]:
        for triple in Graph().parse(path):
            found.update(str(t) for t in triple if isinstance(t, URIRef) and str(t).startswith(base + "id/"))
    return sorted(found)


def without_lang_marks(html: str) -> str:
    """A page's HTML without the <span lang="en"> the site wraps English text in (render.mark_english),
    for tests that read its text with patterns."""
    import re

    return re.sub(r'<span lang="en">([^<]*)</span>', r"\1", html)


@pytest.fixture
def no_wait_for_ever() -> Iterator[None]:
    """A wait for a process that will never answer fails the test (TimeoutError after 2 minutes) instead of
    hanging the run (SIGALRM interrupts the main thread's wait)."""
    import signal

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError("waited 2 minutes for a process: it would have waited for ever")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(120)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
