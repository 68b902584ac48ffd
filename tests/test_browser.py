"""The site in a real browser: Debian's Chromium, headless, driven by Playwright, pages opened from disk."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planlod.records import ProgressTable

from .conftest import NISHI_REPORT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
PROJECT = "doc/plan/151076/vision-3/goal/III/policy/1/measure/1/project/3/index.html"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run scripts/install-test-deps.sh"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def open_page(browser: Any, url: str) -> tuple[Any, list[str]]:
    page = browser.new_page()
    problems: list[str] = []
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda response: problems.append(f"{response.status}: {response.url}")
            if response.status >= 400 else None)
    page.goto(url)
    page.wait_for_load_state("load")
    return page, problems


def test_index_lists_every_report_with_its_met_rate(browser: Any, site: Path) -> None:
    page, problems = open_page(browser, (site / "index.html").as_uri())
    reports = page.inner_text("#reports")
    assert "新潟市西区役所" in reports and "川崎市" in reports
    assert "令和2年度 FY2020\t103\t75\t28\t72.8%" in reports and "平成19年度 FY2007\t10\t9\t1\t90.0%" in reports
    page.click("#reports >> text=令和2年度 FY2020")
    page.wait_for_load_state("load")
    assert page.locator("#tally-overall").is_visible()
    assert problems == []
    page.close()


def test_the_report_page_shows_the_tallies(browser: Any, site: Path, bundled_table: ProgressTable) -> None:
    page, problems = open_page(browser, (site / NISHI_REPORT).as_uri())
    declared = {(d.table, d.goal, d.label): d.count for d in bundled_table.declared}
    overall = page.inner_text("#tally-overall")
    assert f"達成\t{declared[('overall', None, '達成')]}" in overall
    assert f"未達成\t{declared[('overall', None, '未達成')]}" in overall
    by_goal = page.inner_text("#tally-by-goal")
    assert f"\t{declared[('by-goal', 'III', '達成')]}\t{declared[('by-goal', 'III', '未達成')]}\t" in by_goal
    assert page.locator("svg.chart rect").count() >= 10 and page.locator("svg.chart").is_visible()
    assert problems == []
    page.close()


def test_a_project_page_loads_and_links_along_the_hierarchy(browser: Any, site: Path) -> None:
    page, problems = open_page(browser, (site / PROJECT).as_uri())
    assert page.inner_text("h1") == "大学等連携事業"
    assert "事業内容 Activities" in page.inner_text("main")
    crumbs = page.inner_text("nav.crumbs")
    assert "だれもが学び合える学術と文化のまち" in crumbs and "多様な学びの場づくり" in crumbs
    page.click("text=区役所で行う大学との連携事業")
    page.wait_for_load_state("load")
    assert "19件" in page.inner_text("main") and "未達成" in page.inner_text("main")
    assert problems == []
    page.close()


def test_navigation_from_the_report_page_reaches_a_goal(browser: Any, site: Path) -> None:
    page, problems = open_page(browser, (site / NISHI_REPORT).as_uri())
    page.click("#tally-by-goal >> text=IV")
    page.wait_for_load_state("load")
    assert page.inner_text("h1") == "豊かな自然と快適な住環境を大切にするまち"
    assert problems == []
    page.close()


def test_the_query_page_runs_an_example_against_planlod_serve(browser: Any, server: str,
                                                             bundled_table: ProgressTable) -> None:
    page, problems = open_page(browser, f"{server}/sparql-editor/")
    page.wait_for_function("document.querySelectorAll('#examples option').length > 1")
    page.select_option("#examples", "totals-by-result")
    assert "planlod:Evaluation" in page.input_value("#query")
    page.click("#run")
    page.wait_for_selector("#results-table")
    table = page.inner_text("#results-table")
    declared = {d.label: d.count for d in bundled_table.declared if d.table == "overall"}
    assert f"達成 @ja\t{declared['達成']}" in table and f"未達成 @ja\t{declared['未達成']}" in table
    assert "目標をほぼ達成 @ja" in table  # Kawasaki's five-level scale, in the same collection
    assert page.inner_text("#status") == "7 rows"
    assert problems == []
    page.close()


def test_the_query_page_shows_a_parser_error(browser: Any, server: str) -> None:
    page, problems = open_page(browser, f"{server}/sparql-editor/")
    page.fill("#query", "SELEC ?x")
    page.click("#run")
    page.wait_for_selector("#results .error")
    assert "malformed query" in page.inner_text("#results .error")
    assert page.inner_text("#status") == "400"
    # the browser logs the 400 response itself; nothing else may fail
    assert all("400" in p for p in problems)
    page.close()
