"""The content negotiation files for static hosts, served by a real nginx and a real Apache (Debian's)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from rdflib import Graph

from .conftest import free_port, minted_iris

THING = "/id/plan/151076/vision-3/goal/II"
DOC = "/doc/plan/151076/vision-3/goal/II/"


def _wait(base: str, process: subprocess.Popen[bytes], name: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(base + "/index.html", timeout=2)
            return
        except requests.ConnectionError:
            assert time.monotonic() < deadline and process.poll() is None, f"{name} did not start"
            time.sleep(0.2)


def _apache(site: Path, folder: Path) -> Iterator[str]:
    """Apache 2.4 with the site's .htaccess (mod_rewrite, mod_headers, mod_mime), as www-data."""
    binary = "/usr/sbin/apache2"
    assert Path(binary).exists(), "Debian's apache2 is missing: run scripts/install-test-deps.sh"
    docroot = Path(tempfile.mkdtemp(prefix="planlod-apache-"))     # www-data must read it: not under 0700
    shutil.copytree(site, docroot / "site")
    for path in [docroot, *docroot.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    port = free_port()
    modules = "".join(f"LoadModule {name}_module /usr/lib/apache2/modules/mod_{name}.so\n"
                      for name in ("mpm_event", "authz_core", "mime", "dir", "rewrite", "headers"))
    (folder / "httpd.conf").write_text(f"""ServerRoot {folder}
PidFile {folder}/httpd.pid
Listen 127.0.0.1:{port}
ServerName localhost
User www-data
Group www-data
ErrorLog {folder}/error.log
{modules}TypesConfig /etc/mime.types
DocumentRoot {docroot}/site
<Directory {docroot}/site>
    AllowOverride All
    Require all granted
</Directory>
<FilesMatch "^\\.">
    Require all denied
</FilesMatch>
""", encoding="utf-8")
    process = subprocess.Popen([binary, "-X", "-f", str(folder / "httpd.conf")], env={"APACHE_RUN_DIR": str(folder)},
                               stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, process, "Apache")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(docroot, ignore_errors=True)


@pytest.fixture(scope="module", params=["nginx", "apache"])
def host(request: pytest.FixtureRequest, site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "apache":
        yield from _apache(site, folder)
    else:
        yield from _nginx(site, folder)


def _nginx(site: Path, folder: Path) -> Iterator[str]:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(binary).exists(), "Debian's nginx is missing: run scripts/install-test-deps.sh"
    port = free_port()
    temp_paths = "".join(f"    {kind}_temp_path {folder}/{kind};\n"
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # As root (CI and the developers' machines), the worker must run as root to read pytest's 0700 folders.
    import os

    user = "user root;\n" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(f"""daemon off;
{user}worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
{temp_paths}    include {site}/nginx-planlod-http.conf;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        include {site}/nginx-planlod.conf;
    }}
}}
""", encoding="utf-8")
    check = subprocess.run([binary, "-t", "-c", str(folder / "nginx.conf")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([binary, "-c", str(folder / "nginx.conf")], stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, process, "nginx")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.parametrize(("accept", "location"), [
    (None, DOC), ("text/html", DOC), ("text/turtle", DOC + "index.ttl"), ("application/ld+json", DOC + "index.jsonld"),
])
def test_things_answer_303(host: str, accept: str | None, location: str) -> None:
    response = requests.get(host + THING, headers={"Accept": accept} if accept else {}, allow_redirects=False,
                            timeout=10)
    assert response.status_code == 303 and response.headers["Location"].endswith(location)
    assert response.headers["Vary"] == "Accept"


@pytest.mark.parametrize(("accept", "media_type", "parse"), [
    ("text/turtle", "text/turtle", "turtle"), ("application/ld+json", "application/ld+json", "json-ld"),
    ("text/html", "text/html", None),
])
def test_documents_are_negotiated(host: str, accept: str, media_type: str, parse: str | None) -> None:
    response = requests.get(host + DOC, headers={"Accept": accept}, timeout=10)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(media_type)
    if parse:
        assert len(Graph().parse(data=response.content, format=parse)) > 5
    else:
        assert "都市と農村が融合するまち" in response.text


def test_dumps_have_their_media_types(host: str) -> None:
    for path, media in (("/data/151076-vision-3-fy2020.ttl", "text/turtle"),
                        ("/data/151076-vision-3-fy2020.jsonld", "application/ld+json"),
                        ("/data/151076-vision-3-fy2020.nt", "application/n-triples"),
                        ("/catalog.ttl", "text/turtle")):
        response = requests.get(host + path, timeout=10)
        assert response.status_code == 200 and response.headers["Content-Type"].startswith(media), path


def test_dot_files_are_hidden(host: str) -> None:
    assert requests.get(host + "/.htaccess", timeout=10).status_code in (403, 404)


def test_every_minted_iri_resolves(host: str, site: Path) -> None:
    """Issue 11: every IRI of every published graph answers, in HTML and Turtle, through the host's config."""
    iris = minted_iris(site)
    assert len(iris) > 2000
    session = requests.Session()
    missing = []
    for iri in iris:
        path = iri.removeprefix("https://w3id.org/planlod")
        for accept in ("text/html", "text/turtle"):
            response = session.get(host + path, headers={"Accept": accept}, timeout=10)
            if response.status_code != 200 or not response.headers["Content-Type"].startswith(accept):
                missing.append(f"{response.status_code} {accept} {path}")
    assert missing == []
