"""Loading the built data into an existing SPARQL 1.1 store (Graph Store HTTP Protocol).

One named graph per dataset, replaced on every publish (HTTP PUT). The dump is streamed from disk, so a
national-scale file is never held in memory. Credentials come from the environment only:
PLANLOD_STORE_USER, PLANLOD_STORE_PASSWORD and PLANLOD_STORE_AUTH (digest, the default, or basic).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import requests
from rdflib import Graph
from rdflib.namespace import DCAT, RDF

from .errors import PlanlodError


@dataclass(frozen=True, slots=True)
class Published:
    graph_iri: str
    status: int
    triples_sent: int
    triples_in_store: int | None


def dataset_iri(site: Path) -> str:
    catalog = site / "catalog.ttl"
    if not catalog.is_file():
        raise PlanlodError("no catalog in the site", where=str(site), hint="run `planlod build` first")
    datasets = sorted(str(d) for d in Graph().parse(catalog).subjects(RDF.type, DCAT.Dataset))
    if len(datasets) != 1:
        raise PlanlodError(f"the catalog lists {len(datasets)} datasets, expected 1", where=str(catalog))
    return datasets[0]


def _auth() -> requests.auth.AuthBase | None:
    user, password = os.environ.get("PLANLOD_STORE_USER"), os.environ.get("PLANLOD_STORE_PASSWORD")
    if not user:
        return None
    scheme = os.environ.get("PLANLOD_STORE_AUTH", "digest").lower()
    if scheme not in ("digest", "basic"):
        raise PlanlodError(f"PLANLOD_STORE_AUTH is '{scheme}'", hint="use digest or basic")
    auth_class = requests.auth.HTTPDigestAuth if scheme == "digest" else requests.auth.HTTPBasicAuth
    return auth_class(user, password or "")


def publish_to_store(site: Path, endpoint: str, graph_iri: str | None = None, query_endpoint: str | None = None,
                     timeout: float = 600.0) -> Published:
    """PUT the site's N-Triples dump into the store's named graph, replacing what it held."""
    dumps = sorted((site / "data").glob("*.nt"))
    if len(dumps) != 1:
        raise PlanlodError(f"expected one N-Triples dump in {site / 'data'}, found {len(dumps)}",
                           hint="run `planlod build` first")
    graph_iri = graph_iri or dataset_iri(site)
    with dumps[0].open("rb") as count_handle:
        sent = sum(1 for line in count_handle if line.strip())
    try:
        with dumps[0].open("rb") as body:
            response = requests.put(endpoint, params={"graph": graph_iri}, data=body, auth=_auth(),
                                    headers={"Content-Type": "application/n-triples"}, timeout=timeout)
    except requests.RequestException as err:
        raise PlanlodError(f"cannot reach the store: {err.__class__.__name__}", where=endpoint,
                           hint="check the Graph Store endpoint URL and that the store is running") from None
    if response.status_code in (401, 403):
        raise PlanlodError(f"the store refused the credentials ({response.status_code})", where=endpoint,
                           hint="set PLANLOD_STORE_USER and PLANLOD_STORE_PASSWORD (and PLANLOD_STORE_AUTH)")
    if not response.ok:
        raise PlanlodError(f"the store refused the data: {response.status_code} {response.text[:300].strip()}",
                           where=endpoint)
    stored = count_triples(query_endpoint, graph_iri) if query_endpoint else None
    if stored is not None and stored != sent:
        raise PlanlodError(f"the store holds {stored} triples in <{graph_iri}>, {sent} were sent", where=endpoint)
    return Published(graph_iri, response.status_code, sent, stored)


def count_triples(query_endpoint: str, graph_iri: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}"
    try:
        response = requests.post(query_endpoint, data={"query": query}, auth=_auth(), timeout=120,
                                 headers={"Accept": "application/sparql-results+json"})
        response.raise_for_status()
        return int(response.json()["results"]["bindings"][0]["n"]["value"])
    except (requests.RequestException, KeyError, IndexError, ValueError) as err:
        raise PlanlodError(f"cannot count the triples in the store: {err}", where=query_endpoint) from None
