"""A plan's editions (editions.py, publish/editions.py): what the large path keeps of each and reads back."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, URIRef

from planlod.editions import Change, Edition, EditionFacts, edition_facts, read_changes
from planlod.pipeline import build_reports
from planlod.publish.context import PublishContext
from planlod.publish.editions import write_changes
from planlod.shacl.facts import Facts
from planlod.validate import Outcome

from .conftest import BUNDLED

# any text a title may hold: commas, quotes, line breaks, Japanese, control characters CSV must carry
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
iris = st.builds(lambda n: URIRef(f"https://w3id.org/planlod/id/plan/151076/vision-3/goal/{n}"),
                 st.integers(0, 10**6))


@given(st.dictionaries(iris.map(str), st.tuples(texts, texts)), st.dictionaries(iris.map(str), iris.map(str)))
def test_an_editions_facts_read_back_are_the_facts_written(elements: dict[str, tuple[str, str]],
                                                          pivots: dict[str, str]) -> None:
    facts = EditionFacts(elements, pivots)
    assert EditionFacts.from_json(facts.to_json()) == facts


changes = st.lists(st.builds(Change, st.sampled_from(["appears", "absent", "retitled", "now met", "no longer met"]),
                             iris, texts, texts, texts), max_size=5)


@given(st.lists(changes, min_size=2, max_size=4))
def test_a_changes_csv_read_back_gives_each_editions_changes(per_edition: list[list[Change]]) -> None:
    editions = [Edition(2020 + i, f"x-fy{2020 + i}", URIRef(f"https://example.org/r/{i}"), 1, 1, 0,
                        tuple(found) if i else (), "data/x-changes.csv") for i, found in enumerate(per_edition)]
    with tempfile.TemporaryDirectory() as folder:
        ctx = PublishContext((), Graph(), Outcome(True, Graph(), ()), None,  # type: ignore[arg-type]
                             "https://example.org/", "https://example.org/", Path(folder))
        write_changes(ctx, editions)
        read = read_changes(Path(folder) / "data/x-changes.csv")
    assert {year: list(found) for year, found in read.items()} == {
        e.fiscal_year: list(e.changes) for e in editions[1:] if e.changes}


def test_the_facts_of_an_edition_are_its_plans_elements_and_evaluated_pivots() -> None:
    """Nishi FY2020: every goal … activity of the plan with its notation and Japanese title, and the pivot of
    each of its 103 evaluated activities (met or not met), from the report's index."""
    report = next(r for r in build_reports([BUNDLED]) if r.iris.ward_code == "151076")
    facts = edition_facts(Facts(report.graph), report.iris.plan())
    goal = str(report.iris.goal("I"))
    assert facts.elements[goal][0] == "I" and facts.elements[goal][1]
    assert len(facts.pivots) == len(report.table.activities) == 103
    assert {p.rsplit("#", 1)[1] for p in facts.pivots.values()} == {"met", "notMet"}
    assert set(facts.pivots) <= set(facts.elements)


def test_a_changes_csv_that_planlod_did_not_write_is_refused(tmp_path: Path) -> None:
    header = "from_fiscal_year,to_fiscal_year,change,notation,iri,before,after\n"
    for text, message in [("a,b\n", "not a changes CSV"),
                          (header + "2020,2021,renamed,1,https://example.org/x,a,b\n", "'renamed' is not a kind"),
                          (header + "2020,2021,appears,1\n", "not enough values"),
                          (header + "2020,next,appears,1,https://example.org/x,,b\n", "invalid literal")]:
        path = tmp_path / "x-changes.csv"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ValueError, match=message):
            read_changes(path)
