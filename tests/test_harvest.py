"""The English titles CKAN makes dataset names of (publish/harvest.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from planlod.publish.harvest import NAME_LIMIT, ckan_name, harvest_title

LONG = ("Nishi Ward Vision Community Development Plan, 3rd Implementation Plan: Progress Management Table "
        "(projects implemented in FY2020)")


def test_ckan_name_folds_a_title_as_ckan_does() -> None:
    assert ckan_name("Kawasaki Revitalization Frontier Plan: progress report FY2007") == \
        "kawasaki-revitalization-frontier-plan-progress-report-fy2007"
    assert ckan_name("Café / Ōita  (2020)") == "cafe-oita-2020"
    assert ckan_name("西区") == ""


def test_a_title_ckan_would_cut_gives_way_to_a_shorter_one() -> None:
    assert len(ckan_name(LONG)) > NAME_LIMIT
    chosen = harvest_title([LONG, "Nishi Ward Vision Community Development Plan progress report"], 2020)
    assert chosen == "Nishi Ward Vision Community Development Plan progress report FY2020"


def test_each_edition_says_its_year() -> None:
    assert harvest_title(["Frontier Plan sheets"], 2008) == "Frontier Plan sheets FY2008"
    assert harvest_title(["Sheets for 2008"], 2008) == "Sheets for 2008"
    assert harvest_title(["", "Plan"], None) == "Plan"


@given(st.lists(st.text(max_size=150), min_size=1, max_size=4), st.integers(1990, 2100))
def test_the_chosen_title_gives_a_whole_name_whenever_one_can(titles: list[str], year: int) -> None:
    titles = [*titles, f"plan-{year}"]
    chosen = harvest_title(titles, year)
    assert str(year) in chosen and 2 <= len(ckan_name(chosen)) <= NAME_LIMIT
