"""How planlod's build grows with the collection: `python benchmarks/scale.py [--sizes 10000,100000,1000000]`.

For each size: a synthetic collection (synthetic.py: Nishi's real rows, renumbered, 103–927 per report)
is written, then built by the large path (`planlod build --large`) in a child process, whose stages are
timed from its progress lines while the RSS of the whole process tree (the build and its workers) is
sampled from /proc. For the sizes in --baseline, the plain rdflib + pySHACL pipeline (an rdflib Graph per
report, pySHACL, rdflib's N-Triples serializer; no pages; a process per core) runs on the same input, and the
ratio is printed.
For the sizes in --virtuoso, the site is bulk-loaded into a fresh Virtuoso (planlod.bulk, as `planlod publish
--bulk-dir` does) and the tally queries are timed there and on planlod's own store.
Then `planlod serve` is started on the site: its start-up time and RSS, and a page rendered on demand.
For the sizes in --faults, faults are then planted in the records of reports spread through the collection
(faults.py), the build runs again, and its findings on each of those reports must be pySHACL's on that report.
For the sizes in --huge, one report of that many rows is built: a report is mapped and validated whole in
one worker, so this is the memory a single huge report takes (its text is sorted in runs merged from disk,
its SPARQL constraints run on a store on disk: src/planlod/ntriples.py).
Goals (issue 10): 100,000 evaluations under 30 s, 1,000,000 under 5 min, peak RSS under 2 GB, also when one
report holds 100,000 rows.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from faults import PLANTED, own, plant, pyshacl_findings, report_prefixes  # noqa: E402
from synthetic import write_collection, write_one_report  # noqa: E402

CATALOG = HERE.parent / "data" / "catalog.toml"
STEP = "STEP"

BUILD = f"""
import sys, time
from pathlib import Path
from planlod.collection import find_sources
from planlod.pipeline import build_site
sys.path.insert(0, {str(HERE)!r})
from faults import issue_key
def progress(step):
    print("{STEP}", time.monotonic(), step, flush=True)
if __name__ == "__main__":
    progress("start")
    result = build_site(find_sources(Path(sys.argv[1])), Path(sys.argv[2]), catalog_path=Path(sys.argv[3]),
                        large=True, progress=progress)
    progress("done")
    print("RESULT", result.published, result.files, result.evaluations, flush=True)
    if len(sys.argv) > 4:   # the findings, for the planted-faults check
        import json
        Path(sys.argv[4]).write_text(json.dumps([list(issue_key(i)) for i in result.outcome.issues]))
"""

# The plain pipeline, a source at a time in one process per core, as planlod's build uses the cores (a report's
# validation does not depend on other reports); forked, so that the workers share what the script imported.
BASELINE = """
import multiprocessing, os, sys
from pathlib import Path
from planlod.collection import find_sources
from planlod.formats import N_TRIPLES
from planlod.graph import build_graph
from planlod.pipeline import read_reports
from planlod.serialize import serialize_graph
from planlod.validate import validate_graph
def plain(job):
    source, out = job
    for n, table in enumerate(read_reports(source)):
        graph = build_graph(table)
        validate_graph(graph, engine="pyshacl")
        (out / f"{source.stem}-{n}.nt").write_text(serialize_graph(graph, N_TRIPLES), encoding="utf-8")
if __name__ == "__main__":
    out = Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    jobs = [(source, out) for source in find_sources(Path(sys.argv[1]))]
    with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
        for _ in pool.imap_unordered(plain, jobs):
            pass
"""


def tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            statm = Path(f"/proc/{entry}/statm").read_text().split()
        except OSError:
            continue
        children.setdefault(int(stat[1]), []).append(int(entry))
        rss[int(entry)] = int(statm[1]) * page
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


@dataclass
class Run:
    """A child process's run: wall time, the RSS of its process tree sampled over time, its progress steps
    (time, name), the published files counted at each change of stage, and its other output lines."""

    wall: float
    samples: list[tuple[float, int]] = field(default_factory=list)      # (monotonic time, tree RSS)
    steps: list[tuple[float, str]] = field(default_factory=list)
    files: dict[float, int] = field(default_factory=dict)              # step time -> files written by then
    other: list[str] = field(default_factory=list)

    @property
    def peak(self) -> int:
        return max((rss for _, rss in self.samples), default=0)


def published_files(folder: Path) -> int:
    """Files of a site or of a build folder, not counting those under a dot folder: the store (not served as
    files) and the build's spools, which are removed before the swap. Safe while the build writes."""
    count = 0
    for _root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        count += len(names)
    return count


def run(script: str, *args: str, site: Path | None = None) -> Run:
    """The script in a child process, its tree's RSS sampled every 0.2 s; with `site`, the files of its build
    folder (beside `site`, swapped in at the end) counted when a stage begins."""
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True)
    result = Run(0.0)

    def sample() -> None:
        while process.poll() is None:
            result.samples.append((time.monotonic(), tree_rss(process.pid)))
            time.sleep(0.2)

    def count_written() -> int:
        assert site is not None
        # the folder planlod.publish.swap.new_build_folder makes for the build's process
        building = sorted(site.parent.glob(f".{site.name}.build-{process.pid}-*"))
        return published_files(building[0]) if building else 0

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert process.stdout is not None
    label = None
    for line in process.stdout:
        if line.startswith(STEP):
            _, at, name = line.rstrip("\n").split(" ", 2)
            result.steps.append((float(at), name))
            if site is not None and stage_label(name) != label:
                result.files[float(at)] = count_written() if name != "done" else published_files(site)
            label = stage_label(name)
        else:
            result.other.append(line.rstrip("\n"))
    if process.wait() != 0:
        raise SystemExit(f"the run failed (exit {process.returncode})")
    sampler.join()
    result.wall = time.monotonic() - started
    return result


def serve_figures(site: Path) -> None:
    """`planlod serve` on the built site: time until it answers, RSS of the server and its workers (both
    independent of the data size: the workers open the on-disk store read-only), and a report's page
    rendered on demand, then from memory."""
    import re
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "planlod", "serve", "--site", str(site), "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=5) as answer:
                    answer.read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() - started > 600:
                    raise SystemExit("planlod serve did not start") from None
                time.sleep(0.1)
        ready, rss = time.monotonic() - started, tree_rss(process.pid)
        home = (site / "index.html").read_text(encoding="utf-8")
        report = re.findall(r'href="(doc/report/[^"]+)"', home)[-1]
        times = []
        for _ in range(2):
            start = time.monotonic()
            with urllib.request.urlopen(f"{base}/{report}", timeout=60) as answer:
                size = len(answer.read())
            times.append(time.monotonic() - start)
        print(f"  planlod serve: ready in {ready:5.1f} s, RSS {rss / 2**20:,.0f} MB (server + workers); a report's "
              f"page ({size / 1000:,.0f} kB) rendered on demand in {times[0]:.2f} s, then {times[1] * 1000:.0f} ms")
    finally:
        process.terminate()
        process.wait(30)


def check_planted_faults(sources: Path, site: Path, reports: int) -> None:
    """Faults planted in `reports` reports spread through the sources: the large build must refuse to publish
    and report, on each of them, exactly what pySHACL reports on that report alone."""
    import json

    chosen = plant(sources, reports)
    findings = site.with_name(site.name + "-findings.json")
    faulty = run(BUILD, str(sources), str(site), str(CATALOG), str(findings))
    wall, peak = faulty.wall, faulty.peak
    result = next(line for line in faulty.other if line.startswith("RESULT")).split()
    built = {tuple(f) for f in json.loads(findings.read_text())}
    print(f"  with planted faults in {len(chosen)} reports: {wall:8.1f} s   peak RSS {peak / 2**20:,.0f} MB   "
          f"published: {result[1]}   findings: {len(built):,}")
    if result[1] != "False":
        raise SystemExit("a build with a planted Violation was published")
    for source in chosen:
        prefixes = report_prefixes(source)
        mine, reference = own(built, prefixes), own(pyshacl_findings(source), prefixes)
        same = "same as pySHACL" if mine == reference else "DIFFERENT from pySHACL"
        print(f"    {source.name:<48} {len(mine):3} findings, {same}; every planted fault found: "
              f"{PLANTED <= {f[1] for f in mine}}")
        if mine != reference or not PLANTED <= {f[1] for f in mine}:
            for finding in sorted(mine ^ reference):
                print(f"      {'only planlod' if finding in mine else 'only pySHACL'}: {finding[:3]}")
            raise SystemExit("the planted faults are not reported as pySHACL reports them")
    findings.unlink()


def stage_label(name: str) -> str:
    return "map + validate + write" if name.startswith(("mapped", "start")) else name


@dataclass(frozen=True)
class Stage:
    label: str
    start: float
    end: float
    peak: int       # the highest RSS sampled while it ran (0: none sampled, under 0.2 s)
    files: int      # files written while it ran (published ones: not the store, not the build's spools)


def stages(result: Run) -> list[Stage]:
    """Consecutive progress lines as stages (the workers' per-source lines as one), each with the peak RSS
    sampled during it and the files written during it."""
    spans: list[tuple[str, float, float]] = []
    for (at, name), (next_at, _) in zip(result.steps, result.steps[1:], strict=False):
        label = stage_label(name)
        if spans and spans[-1][0] == label:
            spans[-1] = (label, spans[-1][1], next_at)
        else:
            spans.append((label, at, next_at))
    counted = sorted(result.files.items())
    out = []
    for label, start, end in spans:
        before = max((n for t, n in counted if t <= start), default=0)
        after = max((n for t, n in counted if t <= end), default=before)
        peak = max((rss for t, rss in result.samples if start <= t <= end), default=0)
        out.append(Stage(label, start, end, peak, after - before))
    return out


def print_stages(result: Run, triples: int) -> None:
    """Time, peak RSS, files written and, for the mapping (the stage whose work is every triple), triples/s.
    The store loads beside the stages after the mapping and compacts beside the collection's N-Quads (made by
    another process); the catalog is made at a lower priority beside both: "catalog" is its time, "collection
    N-Quads", "on-disk store: counting" and "…: compacting" the time the build then waited. A file counts in
    the stage it appeared in, which is named by the last progress line before it (the catalog's files appear
    after its head, in "collection N-Quads")."""
    print(f"  {'stage':<40} {'s':>8}   {'peak MB':>7}   {'files':>6}   {'triples/s':>10}")
    for stage in stages(result):
        seconds = stage.end - stage.start
        rate = f"{triples / seconds:10,.0f}" if stage.label == "map + validate + write" and seconds else ""
        peak = f"{stage.peak / 2**20:7,.0f}" if stage.peak else f"{'-':>7}"
        print(f"  {stage.label:<40} {seconds:8.1f}   {peak}   {stage.files:6,}   {rate}")


def triples(folder: Path) -> int:
    with (folder / "data" / "all.nq").open("rb") as handle:
        return sum(1 for _ in handle)


def virtuoso_figures(site: Path, folder: Path) -> None:
    """Bulk-load the site into a fresh Virtuoso (Debian's, as the tests start it) and time every example query
    there and on planlod's own on-disk store."""
    import requests

    sys.path.insert(0, str(HERE.parent))
    from tests.conftest import running_virtuoso

    from planlod.bulk import BulkSettings, bulk_load
    from planlod.queries import example_queries

    folder.mkdir(parents=True, exist_ok=True)
    with running_virtuoso(folder) as virtuoso:
        os.environ["PLANLOD_STORE_PASSWORD"] = virtuoso["password"]
        start = time.monotonic()
        published = bulk_load(site, BulkSettings(virtuoso["isql"], folder / "load", 100_000_000))
        loaded = time.monotonic() - start
        quads = sum(p.triples_in_store or 0 for p in published)
        print(f"  Virtuoso bulk load (ld_dir + rdf_loader_run): {loaded:8.1f} s   {quads / loaded:,.0f} quads/s")
        for query in example_queries():
            start = time.monotonic()
            response = requests.post(virtuoso["query"], data={"query": query.text}, timeout=3600,
                                     headers={"Accept": "application/sparql-results+json"})
            there = time.monotonic() - start
            answer = f"{there:7.2f} s" if response.ok else \
                f"failed after {there:.1f} s (HTTP {response.status_code}: {' '.join(response.text.split())[:160]})"
            print(f"  query {query.name:<32} Virtuoso {answer}   planlod's store {store_time(site, query.name)}")
    shutil.rmtree(folder, ignore_errors=True)


STORE_QUERY = """
import sys, time
from pathlib import Path
from planlod.queries import example_queries, run_query, site_store
store = site_store(Path(sys.argv[1]))
query = next(q for q in example_queries() if q.name == sys.argv[2])
start = time.monotonic()
run_query(store, query)
print(time.monotonic() - start)
"""


def store_time(site: Path, name: str, limit: float = 120.0) -> str:
    """An example query's time on planlod's on-disk store, in a process of its own stopped at `limit`."""
    try:
        done = subprocess.run([sys.executable, "-c", STORE_QUERY, str(site), name], capture_output=True, text=True,
                              timeout=limit, check=True)
    except subprocess.TimeoutExpired:
        return f"over {limit:.0f} s (stopped)"
    return f"{float(done.stdout):7.2f} s"


def huge_figures(work: Path, evaluations: int) -> None:
    sources, site = work / f"huge-{evaluations}", work / f"huge-site-{evaluations}"
    shutil.rmtree(sources, ignore_errors=True)
    write_one_report(sources, evaluations)
    built = run(BUILD, str(sources), str(site), str(CATALOG), site=site)
    result = next(line for line in built.other if line.startswith("RESULT")).split()
    n_triples = triples(site)
    print(f"\none report of {int(result[3]):,} evaluations, {n_triples:,} triples: {built.wall:.1f} s, "
          f"peak RSS {built.peak / 2**20:,.0f} MB (all processes)")
    print_stages(built, n_triples)
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(sources, ignore_errors=True)


def calibration() -> float:
    """CPU seconds of a fixed pure-Python loop, best of three: this VM's speed changes over days (up to 2x),
    and the figures of two runs can only be compared beside it."""
    import time

    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        sum(range(10**8))
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000", help="evaluations, comma-separated")
    parser.add_argument("--baseline", default="10000",
                        help="sizes also run through rdflib + pySHACL (slow: ~70 ms of CPU per evaluation, a "
                             "process per core)")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    parser.add_argument("--faults", default=None,
                        help="sizes built again with faults planted in 5 reports spread through them, the findings "
                             "compared with pySHACL's (default: the largest size)")
    parser.add_argument("--virtuoso", default="100000",
                        help="sizes also bulk-loaded into a fresh Virtuoso (planlod publish --bulk-dir), with the "
                             "tally queries timed there and on planlod's store")
    parser.add_argument("--editions", type=int, default=1,
                        help="yearly editions each synthetic plan has, at most (default 1, as the figures before; a "
                             "national collection over years has several, which the build compares plan by plan)")
    parser.add_argument("--copies", default="1-9",
                        help="how many times a synthetic report repeats Nishi's 103 rows, as a range (default 1-9: "
                             "103-927 rows; 1-1 gives ~9,700 reports of 103 rows at 1,000,000, a national shape)")
    parser.add_argument("--huge", default="100000",
                        help="rows of one report built alone (the memory a single huge report takes)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    baseline = {int(s) for s in args.baseline.split(",") if s}
    in_virtuoso = {int(s) for s in args.virtuoso.split(",") if s}
    with_faults = {int(s) for s in args.faults.split(",") if s} if args.faults is not None else {max(sizes)}
    work = args.work or Path(tempfile.mkdtemp(prefix="planlod-scale-"))
    from planlod import native  # the build's child process decides the same way (its environment, its files)

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; scratch {work}; planlod "
          f"{native.state()}")
    print(f"machine speed: a fixed Python loop in {calibration():.2f} CPU-s (a VM's speed changes over days: "
          "compare runs by it)")
    rows = []
    try:
        for size in sizes:
            sources, site = work / f"sources-{size}", work / f"site-{size}"
            shutil.rmtree(sources, ignore_errors=True)
            shutil.rmtree(site, ignore_errors=True)
            low, _, high = args.copies.partition("-")
            write_collection(sources, size, editions=args.editions, copies_range=(int(low), int(high or low)))
            built = run(BUILD, str(sources), str(site), str(CATALOG), site=site)
            wall, peak = built.wall, built.peak
            result = next(line for line in built.other if line.startswith("RESULT")).split()
            n_triples = triples(site)
            plans = len({p.name.split("_")[0] for p in sources.glob("*.csv")})
            compared = len(list(site.glob("data/*-changes.csv")))
            print(f"\n{result[3]} evaluations, {len(list(sources.glob('*.csv')))} reports of {plans} plans "
                  f"({compared} with changes between editions), {n_triples:,} triples:")
            print_stages(built, n_triples)
            print(f"  {'total (wall, with start-up)':<40} {wall:8.1f}   {peak / 2**20:7,.0f}   "
                  f"{published_files(site):6,}   {n_triples / wall:10,.0f}")
            row = [size, wall, peak, n_triples]
            if size in baseline:
                plain = work / f"plain-{size}"
                plain_run = run(BASELINE, str(sources), str(plain))
                base_wall, base_peak = plain_run.wall, plain_run.peak
                print(f"  rdflib + pySHACL: {base_wall:8.1f} s   peak RSS {base_peak / 2**20:,.0f} MB   "
                      f"planlod is {base_wall / wall:.1f}x faster")
                row += [base_wall, base_peak]
                shutil.rmtree(plain, ignore_errors=True)
            serve_figures(site)
            if size in in_virtuoso:
                virtuoso_figures(site, work / f"virtuoso-{size}")
            if size in with_faults:
                check_planted_faults(sources, work / f"faulty-{size}", 5)
            rows.append(row)
            shutil.rmtree(site, ignore_errors=True)
            shutil.rmtree(sources, ignore_errors=True)
        for rows_in_one in (int(s) for s in args.huge.split(",") if s):
            huge_figures(work, rows_in_one)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print("\nsize         build s   peak MB   triples/s   s per 1k evaluations   rdflib+pySHACL s   ratio")
    for row in rows:
        size, wall, peak, n = row[:4]
        extra = f"{row[4]:16.1f}   {row[4] / wall:5.1f}x" if len(row) > 4 else ""
        print(f"{size:>9,}  {wall:9.1f}  {peak / 2**20:8,.0f}  {n / wall:10,.0f}  {1000 * wall / size:21.2f}   {extra}")


if __name__ == "__main__":
    main()
