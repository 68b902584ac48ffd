"""Benchmark of `planlod serve`: concurrent SPARQL clients for a bounded time.

Prints throughput, p50/p95 latency and the peak memory of the server's processes, and the ratio of
the embedded engine (Oxigraph) to rdflib on the same example queries. Not a test: run it by hand,
    python benchmarks/serve.py [--seconds 10] [--clients 4] [--site site]
It only talks to 127.0.0.1, stops by itself, and bounds both time and request count.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from planlod.pipeline import graph_of  # noqa: E402
from planlod.queries import example_queries, run_query  # noqa: E402
from planlod.serve import EndpointSettings, ServerSettings, create_server  # noqa: E402


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def keep_alive_figures(url: str, count: int = 200) -> tuple[float, float]:
    """Seconds per request on one kept-alive connection, and with a new connection each time."""
    with requests.Session() as session:
        session.get(url, timeout=30)
        start = time.perf_counter()
        for _ in range(count):
            session.get(url, timeout=30).raise_for_status()
        kept_alive = (time.perf_counter() - start) / count
    start = time.perf_counter()
    for _ in range(count):
        requests.get(url, timeout=30, headers={"Connection": "close"}).raise_for_status()
    return kept_alive, (time.perf_counter() - start) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=Path("site"))
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--max-requests", type=int, default=20_000)
    args = parser.parse_args()

    queries = example_queries()
    graph = graph_of(next((args.site / "data").glob("*.ttl")))
    timings: dict[str, tuple[float, float]] = {}
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(next((args.site / "data").glob("*.nt"))), format=ox.RdfFormat.N_TRIPLES)
    for query in queries:
        start = time.perf_counter()
        for _ in range(5):
            run_query(graph, query)
        rdflib_s = (time.perf_counter() - start) / 5
        start = time.perf_counter()
        for _ in range(5):
            list(store.query(query.text))
        oxigraph_s = (time.perf_counter() - start) / 5
        timings[query.name] = (rdflib_s, oxigraph_s)

    server = create_server(ServerSettings(args.site, EndpointSettings(workers=2)), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds
    peak = 0

    def client(n: int) -> None:
        nonlocal errors
        session = requests.Session()
        i = n
        while time.monotonic() < deadline:
            with lock:
                if len(latencies) + errors >= args.max_requests:
                    return
            query = queries[i % len(queries)]
            i += 1
            start = time.perf_counter()
            response = session.post(url, data={"query": query.text}, timeout=30)
            elapsed = time.perf_counter() - start
            with lock:
                if response.status_code == 200:
                    latencies.append(elapsed)
                else:
                    errors += 1

    workers = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    while any(w.is_alive() for w in workers):
        pids = [w.process.pid for w in server.engine._idle if w.process.pid]  # noqa: SLF001 - measuring
        import os

        peak = max(peak, rss_kib(os.getpid()) + sum(rss_kib(pid) for pid in pids))
        time.sleep(0.2)
    duration = time.monotonic() - started
    kept_alive, fresh = keep_alive_figures(f"http://127.0.0.1:{server.server_address[1]}/catalog.ttl")
    server.shutdown()
    server.server_close()

    print(f"clients {args.clients}, {duration:.1f} s, {len(latencies)} answers, {errors} errors")
    if latencies:
        ordered = sorted(latencies)
        print(f"throughput {len(latencies) / duration:.1f} queries/s")
        print(f"latency p50 {statistics.median(ordered) * 1000:.1f} ms, "
              f"p95 {ordered[int(len(ordered) * 0.95) - 1] * 1000:.1f} ms")
    print(f"peak memory (server and workers) {peak / 1024:.0f} MiB")
    print(f"static file, 200 requests: kept-alive connection {kept_alive * 1000:.2f} ms/request, "
          f"new connection each {fresh * 1000:.2f} ms/request, ratio {kept_alive / fresh:.2f} "
          "(above 1 would mean a Nagle / delayed-ACK stall)")
    print("query                             rdflib ms  oxigraph ms  ratio")
    for name, (rdflib_s, oxigraph_s) in timings.items():
        print(f"{name:32s} {rdflib_s * 1000:10.1f} {oxigraph_s * 1000:12.2f} {rdflib_s / max(oxigraph_s, 1e-9):6.0f}x")


if __name__ == "__main__":
    main()
