"""Planted faults scattered through a synthetic collection, and pySHACL's word on them (issue 10).

`plant(folder, n)` edits the records of n reports spread evenly through the collection (the first, the last
and between), each with every fault the records can carry: a declared figure the rows contradict
(Violation, plsh:DeclaredCountTallyShape), an evaluation without its actual (Warning, MissingActualShape),
an unmet evaluation without direction (Warning, UnmetEvaluationShape) and an activity without its name
(Info, ActivityNameShape). The other shapes guard what the mapping itself writes, so no record can break
them; tests/test_shacl.py plants those in graphs, one per shape.

`pyshacl_findings(csv)` builds that one report's graph with rdflib and validates it with pySHACL (the
reference engine); scale.py compares its findings with what the large build reported for the report.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

PLANTED = {"plsh:DeclaredCountTallyShape", "plsh:MissingActualShape planlod:actual",
           "plsh:UnmetEvaluationShape", "plsh:ActivityNameShape skos:prefLabel"}


def _spread(items: list[Path], n: int) -> list[Path]:
    if n >= len(items):
        return items
    return sorted({items[round(i * (len(items) - 1) / max(1, n - 1))] for i in range(n)})


def plant(folder: Path, n: int) -> list[Path]:
    """The records CSVs of n reports spread through the folder, each given the four faults; returns them.
    The smallest reports are chosen near each spot, so that pySHACL can check them in seconds."""
    sources = sorted(folder.glob("*.csv"))
    sources = [s for s in sources if not s.name.endswith(".declared.csv")]
    sizes = {s: s.read_text(encoding="utf-8").count("\n") for s in sources}
    chosen = []
    for spot in _spread(sources, n):
        at = sources.index(spot)
        near = sources[max(0, at - 5): at + 6]
        chosen.append(min((s for s in near if s not in chosen), key=lambda s: (sizes[s], s)))
    for source in chosen:
        rows = list(csv.DictReader(io.StringIO(source.read_text(encoding="utf-8"))))
        unmet = next(r for r in rows if r["result"] == "未達成" and r["direction"] not in ("", "-"))
        unmet["direction"] = ""
        measured = next(r for r in rows[len(rows) // 2:] if r["actual"] and r is not unmet)
        measured["actual"] = ""
        named = next(r for r in reversed(rows) if r["activity"] and r is not unmet and r is not measured)
        named["activity"] = ""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        source.write_text(out.getvalue(), encoding="utf-8")
        year = rows[0]["fiscal_year"]
        source.with_name(source.name.removesuffix(".csv") + ".declared.csv").write_text(
            "fiscal_year,table,goal,policy,measure,goal_title,policy_title,measure_title,level,count,complete,"
            f"source\n{year},overall,,,,,,,,{len(rows) + 1},true,\n", encoding="utf-8")
    return chosen


def issue_key(issue: object) -> tuple[str, ...]:
    return tuple(str(getattr(issue, f)) for f in ("severity", "shape", "focus", "path", "value", "message",
                                                   "message_ja", "constraint"))


def pyshacl_findings(source: Path) -> set[tuple[str, ...]]:
    """pySHACL's findings on the report of this records CSV alone, built with rdflib."""
    from planlod.graph import build_graph
    from planlod.pipeline import read_reports
    from planlod.validate import validate_graph

    found: set[tuple[str, ...]] = set()
    for table in read_reports(source):
        found |= {issue_key(i) for i in validate_graph(build_graph(table), engine="pyshacl").issues}
    return found


def report_prefixes(source: Path) -> tuple[str, ...]:
    """The IRI prefixes of what belongs to this report alone: its organisation's, plan's and report's."""
    from planlod.graph.context import make_context
    from planlod.pipeline import read_reports

    prefixes: list[str] = []
    for table in read_reports(source):
        iris = make_context(table, "https://w3id.org/planlod/").iris
        prefixes += [f"{iris.ward_office()}/", str(iris.ward_office()), f"{iris.plan()}/", str(iris.plan()),
                     f"{iris.report()}/", str(iris.report())]
    return tuple(prefixes)


def own(findings: set[tuple[str, ...]], prefixes: tuple[str, ...]) -> set[tuple[str, ...]]:
    """The findings whose focus belongs to one report (not a fiscal year or date every report shares)."""
    return {f for f in findings if f[2] in prefixes or f[2].startswith(tuple(p for p in prefixes if p.endswith("/")))}
