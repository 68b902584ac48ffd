"""Loading the built data into an existing SPARQL 1.1 store (Graph Store HTTP Protocol).

One named graph per report (its dataset IRI), replaced on every publish (HTTP PUT). The dump is streamed from disk, so a
national-scale file is never held in memory. Credentials come from the environment only:
PLANLOD_STORE_USER, PLANLOD_STORE_PASSWORD and PLANLOD_STORE_AUTH (digest, the default, or basic); they
are never printed, and redirects are never followed (a write must not land on another host).
"""

from __future__ import annotations

import base64
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, RDF

from .errors import PlanlodError


@dataclass(frozen=True, slots=True)
class Published:
    graph_iri: str
    status: int
    triples_sent: int
    triples_in_store: int | None


def report_datasets(site: Path) -> list[tuple[str, Path]]:
    """Each report's dataset IRI (its named graph) and N-Triples dump, from the site's catalog."""
    catalog = site / "catalog.ttl"
    if not catalog.is_file():
        raise PlanlodError("no catalog in the site", where=str(site), hint="run `planlod build` first")
    graph = Graph().parse(catalog)
    found = []
    for dataset in sorted(graph.subjects(RDF.type, DCAT.Dataset), key=str):
        identifier = str(graph.value(dataset, DCTERMS.identifier) or "")
        dump = site / "data" / f"{identifier}.nt"
        if identifier and dump.is_file():
            found.append((str(dataset), dump))
    if not found:
        raise PlanlodError("the catalog lists no dataset with an N-Triples dump", where=str(catalog),
                           hint="run `planlod build` first")
    return found


def _auth() -> requests.auth.AuthBase | None:
    user, password = os.environ.get("PLANLOD_STORE_USER"), os.environ.get("PLANLOD_STORE_PASSWORD")
    if not user:
        return None
    scheme = os.environ.get("PLANLOD_STORE_AUTH", "digest").lower()
    if scheme not in ("digest", "basic"):
        raise PlanlodError(f"PLANLOD_STORE_AUTH is '{scheme}'", hint="use digest or basic")
    auth_class = requests.auth.HTTPDigestAuth if scheme == "digest" else requests.auth.HTTPBasicAuth
    return auth_class(user, password or "")


@dataclass(frozen=True, slots=True)
class StoreTimeouts:
    connect: float = 10.0     # seconds to open the connection
    read: float = 60.0        # seconds the store may stay silent
    total: float = 600.0      # seconds for the whole request, however the store drips its answer


def visible_url(url: str) -> str:
    """The URL as it may be printed: user and password removed."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    return urlunsplit(parts._replace(netloc=host + (f":{parts.port}" if parts.port else "")))


def _secrets(url: str) -> list[str]:
    parts = urlsplit(url)
    found = [os.environ.get("PLANLOD_STORE_PASSWORD", ""), parts.password or ""]
    users = {os.environ.get("PLANLOD_STORE_USER") or "", parts.username or ""}
    for password in [p for p in found if p]:
        for user in users:
            found += [base64.b64encode(f"{user}:{password}".encode()).decode(), f"{user}:{password}"]
    return sorted({s for s in found if s}, key=len, reverse=True)


def redact(text: str, url: str) -> str:
    """A store's answer as it may be printed: credentials and Authorization headers blanked out."""
    for secret in _secrets(url):
        text = text.replace(secret, "***")
    return re.sub(r"(?im)^(.*authorization\s*[:=]).*$", r"\1 ***", text)


def _send(method: str, url: str, timeouts: StoreTimeouts, **kwargs: Any) -> requests.Response:
    """One request, bounded in connect, read and total time; redirects are never followed."""
    outcome: list[Any] = []
    session = requests.Session()

    def attempt() -> None:
        try:
            response = session.request(method, url, timeout=(timeouts.connect, timeouts.read),
                                       allow_redirects=False, stream=True, **kwargs)
            response.content  # noqa: B018 - read the whole answer inside the time bound
            outcome.append(response)
        except BaseException as err:  # handed to the caller's thread
            outcome.append(err)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeouts.total)
    if worker.is_alive():
        session.close()
        raise PlanlodError(f"the store did not finish within {timeouts.total:g} s", where=visible_url(url),
                           hint="check the store, or raise --timeout for a large upload")
    if isinstance(outcome[0], requests.RequestException):
        raise PlanlodError(f"cannot reach the store: {outcome[0].__class__.__name__}", where=visible_url(url),
                           hint="check the endpoint URL, that the store is running, and --connect-timeout "
                                "/ --read-timeout") from None
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    response: requests.Response = outcome[0]
    if response.is_redirect or response.is_permanent_redirect:
        target = visible_url(urljoin(url, response.headers.get("Location", "")))
        raise PlanlodError(f"the store answered {response.status_code} and redirects to {target}",
                           where=visible_url(url),
                           hint="planlod does not follow redirects when it writes: give the final URL as --endpoint")
    return response


def load_into_store(site: Path, endpoint: str, graph_iri: str | None = None, query_endpoint: str | None = None,
                     timeouts: StoreTimeouts = StoreTimeouts()) -> list[Published]:
    """PUT each report's N-Triples dump into its own named graph (its dataset IRI), replacing what it held."""
    datasets = report_datasets(site)
    if graph_iri is not None:
        if len(datasets) != 1:
            raise PlanlodError(f"--graph names one graph, but the site holds {len(datasets)} reports",
                               hint="leave --graph out: each report goes into the graph of its dataset IRI")
        datasets = [(graph_iri, datasets[0][1])]
    return [_put(dump, endpoint, graph, query_endpoint, timeouts) for graph, dump in datasets]


def _put(dump: Path, endpoint: str, graph_iri: str, query_endpoint: str | None,
         timeouts: StoreTimeouts) -> Published:
    with dump.open("rb") as count_handle:
        sent = sum(1 for line in count_handle if line.strip())
    with dump.open("rb") as body:
        response = _send("PUT", endpoint, timeouts, params={"graph": graph_iri}, data=body, auth=_auth(),
                         headers={"Content-Type": "application/n-triples"})
    where = visible_url(endpoint)
    if response.status_code in (401, 403):
        raise PlanlodError(f"the store refused the credentials ({response.status_code})", where=where,
                           hint="set PLANLOD_STORE_USER and PLANLOD_STORE_PASSWORD (and PLANLOD_STORE_AUTH)")
    if not response.ok:
        # Redact before cutting: a cut could leave part of a secret that redaction no longer recognises.
        answer = redact(response.text[:10_000], endpoint)[:300].strip()
        raise PlanlodError(f"the store refused the data: {response.status_code} {answer}", where=where)
    stored = count_triples(query_endpoint, graph_iri, timeouts) if query_endpoint else None
    if stored is not None and stored != sent:
        raise PlanlodError(f"the store holds {stored} triples in <{graph_iri}>, {sent} were sent", where=where)
    return Published(graph_iri, response.status_code, sent, stored)


def count_triples(query_endpoint: str, graph_iri: str, timeouts: StoreTimeouts = StoreTimeouts()) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}"
    response = _send("POST", query_endpoint, timeouts, data={"query": query}, auth=_auth(),
                     headers={"Accept": "application/sparql-results+json"})
    try:
        response.raise_for_status()
        return int(response.json()["results"]["bindings"][0]["n"]["value"])
    except (requests.RequestException, KeyError, IndexError, ValueError) as err:
        raise PlanlodError(f"cannot count the triples in the store: {redact(str(err), query_endpoint)}",
                           where=visible_url(query_endpoint)) from None
