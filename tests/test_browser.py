"""The site in a real browser: Debian's Chromium, headless, driven by Playwright, pages opened from disk."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from planlod.records import ProgressTable

from .conftest import NISHI_REPORT, free_port

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
    assert "事業内容 Activity" in page.inner_text("#evaluations thead")
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
    assert "エンドポイント" in page.inner_text("#mode")
    table = page.inner_text("#results-table")
    declared = {d.label: d.count for d in bundled_table.declared if d.table == "overall"}
    assert f"達成\t{declared['達成']}" in table and f"未達成\t{declared['未達成']}" in table
    assert "目標をほぼ達成" in table  # Kawasaki's five-level scale, in the same collection
    assert page.inner_text("#status") == "7 rows"
    assert problems == []
    page.close()


def test_the_query_page_shows_a_parser_error(browser: Any, server: str) -> None:
    page, problems = open_page(browser, f"{server}/sparql-editor/")
    page.fill("#query", "SELEC ?x")
    page.click("#run")
    page.wait_for_selector("#results .error")
    assert "400: malformed query" in page.inner_text("#results .error")
    assert page.inner_text("#status") == "エラー Error"
    # the browser logs the 400 response itself; nothing else may fail
    assert all("400" in p for p in problems)
    page.close()


@contextmanager
def served_statically(site: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                                "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/index.html", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def static_host(site: Path) -> Iterator[str]:
    """The site on a plain static host: Python's http.server, no endpoint."""
    with served_statically(site) as url:
        yield url


def declared_overall(table: ProgressTable) -> dict[str, int]:
    return {d.label: d.count for d in table.declared if d.table == "overall"}


def test_on_a_static_host_the_editor_answers_in_webassembly(browser: Any, static_host: str,
                                                            bundled_table: ProgressTable) -> None:
    page, problems = open_page(browser, f"{static_host}/queries/index.html")
    page.click("#totals-by-result ~ p.actions >> text=実行 Run")
    page.wait_for_selector("#results-table", timeout=60_000)
    assert "WebAssembly" in page.inner_text("#mode") and page.inner_text("#status") == "7 rows"
    rows = rows_of(page, "#results-table")
    declared = declared_overall(bundled_table)
    nishi = [r for r in rows if "西区" in r[0]]
    assert [(r[3], r[4]) for r in nishi] == [("達成", str(declared["達成"])), ("未達成", str(declared["未達成"]))]
    # IRIs are shown by their labels and link to the site's own pages; counts are right-aligned numbers
    link = page.locator("#results-table tbody tr >> nth=-1 >> a").first
    assert link.get_attribute("href").startswith(f"{static_host}/doc/report/151076/vision-3/fy2020/")
    assert page.locator("#results-table tbody td.num").count() == 2 * len(rows)
    assert problems == []
    page.close()


def test_the_editor_keeps_the_query_in_a_permalink_and_offers_downloads(
        browser: Any, static_host: str, bundled_table: ProgressTable) -> None:
    page, problems = open_page(browser, f"{static_host}/sparql-editor/index.html")
    query = ("PREFIX planlod: <https://w3id.org/planlod/def#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
             "SELECT ?word (COUNT(*) AS ?n) WHERE { ?e planlod:result/skos:prefLabel ?word "
             "FILTER(lang(?word) = 'ja') } GROUP BY ?word ORDER BY ?word")
    page.fill("#query", query)
    page.press("#query", "Control+Enter")
    page.wait_for_selector("#results-table", timeout=60_000)
    permalink = page.url
    assert "query=" in permalink and page.get_attribute("#permalink", "href") == permalink
    with page.expect_download() as download:
        page.click("#download-csv")
    csv_text = Path(download.value.path()).read_text(encoding="utf-8")
    declared = declared_overall(bundled_table)
    assert csv_text.splitlines()[0] == "word,n" and f"未達成,{declared['未達成']}" in csv_text.splitlines()
    with page.expect_download() as download:
        page.click("#download-json")
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["head"]["vars"] == ["word", "n"]
    page.close()
    # the permalink, opened afresh, runs the same query
    again, more = open_page(browser, permalink)
    again.wait_for_selector("#results-table", timeout=60_000)
    assert again.input_value("#query") == query
    assert rows_of(again, "#results-table") == [line.split(",") for line in csv_text.splitlines()[1:]]
    assert problems == [] and more == []
    again.close()


DEPARTMENT = "doc/org/151076/chiiki-ka/index.html"
PLAN = "doc/plan/151076/vision-3/index.html"


def rows_of(page: Any, selector: str) -> list[list[str]]:
    rows: list[list[str]] = page.locator(f"{selector} tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.innerText.replace(/\\s+/g, ' ').trim()))")
    return rows


def test_a_project_page_shows_target_actual_result_and_department(browser: Any, site: Path,
                                                                 bundled_table: ProgressTable) -> None:
    page, problems = open_page(browser, (site / PROJECT).as_uri())
    rows = rows_of(page, "#evaluations")
    expected = [a for a in bundled_table.activities if a.project_name == "大学等連携事業"]
    assert len(rows) == len(expected) == 2
    for row, activity in zip(rows, expected, strict=True):
        text = " ".join(row)
        assert activity.target in text and activity.actual in text and activity.department in text
        assert activity.result in text and activity.previous_actual in text
    assert "73%" in rows[1]                                   # 19件 of 26件, parsed from the cells
    # ※ is the legend's words, not 'true'
    assert "新型コロナウイルス感染症の影響により目標を達成できなかった事業" in page.inner_text("main")
    assert page.locator("#evaluations a.result-notmet").count() == 1
    assert page.locator("#evaluations a.result-notmet").evaluate("e => getComputedStyle(e).color") \
        != page.locator("#evaluations a.result-met").evaluate("e => getComputedStyle(e).color")
    assert problems == []
    page.close()


def test_a_department_page_tallies_its_activities_and_lists_shortfalls_first(
        browser: Any, site: Path, bundled_table: ProgressTable) -> None:
    page, problems = open_page(browser, (site / DEPARTMENT).as_uri())
    own = [a for a in bundled_table.activities if a.department == "地域課"]
    missed = sum(a.result == "未達成" for a in own)
    tally = rows_of(page, "#tally")[0]
    assert tally[:4] == ["令和2年度 FY2020", str(len(own) - missed), str(missed), str(len(own))]
    rows = rows_of(page, "#evaluations")
    assert len(rows) == len(own)                               # each activity once
    results = [next(w for w in ("未達成", "達成") if w in " ".join(r)) for r in rows]
    assert results == ["未達成"] * missed + ["達成"] * (len(own) - missed)
    assert page.inner_text("main").count(own[0].activity or own[0].project_name) == 1
    # 未達成 never wraps inside its cell at a laptop's width
    page.set_viewport_size({"width": 1280, "height": 900})
    heights = page.locator("#evaluations a.result-notmet").evaluate_all(
        "links => links.map(a => a.getClientRects().length)")
    assert set(heights) == {1}
    assert problems == []
    page.close()


def test_the_plan_page_is_a_tree_with_counts_at_each_node(browser: Any, site: Path,
                                                          bundled_table: ProgressTable) -> None:
    page, problems = open_page(browser, (site / PLAN).as_uri())
    goals = page.locator("main > ul.tree > li")
    assert goals.count() == len(bundled_table.goals)
    for goal, node in zip(bundled_table.goals, goals.all(), strict=True):
        own = [a for a in bundled_table.activities if a.goal == goal.numeral]
        met = sum(a.result == "達成" for a in own)
        counts = node.locator(":scope > .node .counts").inner_text()
        assert counts.startswith(f"{met} / {len(own)} · ")
    # the tree folds: a measure's projects are hidden until it is opened
    project = page.locator("text=大学等連携事業").first
    assert not project.is_visible()
    page.locator("li:has(> .node a:text-is('多様な学びの場づくり')) > details > summary").click()
    assert project.is_visible()
    assert problems == []
    page.close()


WIDTHS = (390, 1280)   # a phone, a laptop
SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"
MAIN_PAGES = {
    "index": "index.html", "report": NISHI_REPORT, "plan": PLAN, "project": PROJECT, "department": DEPARTMENT,
    "fiscal-year": "doc/fiscal-year/2020/index.html", "data": "data.html", "compare": "compare.html",
    "queries": "queries/index.html", "kawasaki-plan": "doc/plan/141305/frontier/index.html",
}


def wider_than_viewport(browser: Any, site: Path, pages: list[Path]) -> list[str]:
    """Each page at each width whose content is wider than the window (a sideways scroll)."""
    windows = [browser.new_page(viewport={"width": width, "height": 800}) for width in WIDTHS]
    for window in windows:
        window.goto((site / "index.html").as_uri())
    found = []
    for path in pages:
        # set_content into a file: page with a <base> lays out the same as opening the page (same
        # stylesheet, same widths: compared when chosen) at a third of the cost of a navigation; a window
        # per width, as resizing one costs more than loading the page twice.
        html = path.read_text(encoding="utf-8").replace("<head>", f'<head><base href="{path.as_uri()}">', 1)
        for width, window in zip(WIDTHS, windows, strict=True):
            window.set_content(html, wait_until="load")
            scroll, client = window.evaluate("[document.documentElement.scrollWidth, "
                                             "document.documentElement.clientWidth]")
            if scroll > client:
                found.append(f"{path.relative_to(site)} at {width}px: {scroll}px wide")
    for window in windows:
        window.close()
    return found


def test_no_page_is_wider_than_a_phone_or_a_laptop(browser: Any, site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 1000
    assert wider_than_viewport(browser, site, pages) == []


def test_the_width_check_finds_a_page_that_overflows(browser: Any, site: Path, tmp_path: Path) -> None:
    copy = site / "doc" / "wide-test.html"
    html = (site / PROJECT).read_text(encoding="utf-8")
    copy.write_text(html.replace("</main>", '<p style="width:700px">wide</p></main>'), encoding="utf-8")
    try:
        assert wider_than_viewport(browser, site, [site / PROJECT, copy]) == \
            ["doc/wide-test.html at 390px: 708px wide"]
    finally:
        copy.unlink()


def test_screenshots_of_the_main_page_types_for_review(browser: Any, site: Path) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in MAIN_PAGES.items():
        for width in WIDTHS:
            page, problems = open_page(browser, (site / path).as_uri())
            page.set_viewport_size({"width": width, "height": 1400})
            shot = SCREENSHOTS / f"{name}-{width}.png"
            page.screenshot(path=str(shot))     # the first screen: whole long pages take seconds each
            assert shot.read_bytes().startswith(b"\x89PNG") and problems == [], (name, problems)
            page.close()


AXE = Path(__file__).resolve().parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# One page of every kind the site has (the main pages and one of each kind of resource page).
PAGE_KINDS = {
    **MAIN_PAGES,
    "editor": "sparql-editor/index.html", "vocabulary": "vocab/index.html", "shapes": "shapes/index.html",
    "conformance": "conformance.html", "activity": "doc/plan/151076/vision-3/goal/III/policy/1/measure/1/project/3/"
    "activity/2/index.html", "evaluation": "doc/report/151076/vision-3/fy2020/evaluations/III-1-1-3-2/index.html",
    "correction": "doc/report/151076/vision-3/fy2020/correction/1/index.html",
    "kawasaki-report": "reports/141305-frontier-fy2007/index.html", "catalog": "doc/catalog/index.html",
    "dataset": "doc/dataset/151076-vision-3-fy2020/index.html", "search": "search/index.html?q=課",
}


def axe_violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
                          ".then(r => r.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ` +"
                          " v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))", WCAG_AA)
    return list(found)


def test_every_kind_of_page_passes_axe_at_wcag_aa(browser: Any, static_host: str, site: Path) -> None:
    assert AXE.is_file(), "axe-core is missing: run scripts/install-test-deps.sh"
    failures = {}
    for name, path in PAGE_KINDS.items():
        assert (site / path.split("?")[0]).is_file(), path
        for width in WIDTHS:
            page, problems = open_page(browser, f"{static_host}/{path}")
            page.set_viewport_size({"width": width, "height": 900})
            if name == "editor":
                page.click("#run")
                page.wait_for_selector("#results-table", timeout=60_000)
            found = axe_violations(page)
            if found or problems:
                failures[f"{name} at {width}px"] = found + problems
            page.close()
    assert failures == {}


def test_axe_finds_a_planted_violation(browser: Any, static_host: str) -> None:
    page, _ = open_page(browser, f"{static_host}/{PROJECT}")
    page.evaluate("document.querySelector('h1').style.color = '#eeeeee'; "
                  "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"x.png\">')")
    found = axe_violations(page)
    assert any(v.startswith("color-contrast") for v in found) and any(v.startswith("image-alt") for v in found)
    page.close()


def test_tables_sort_and_filter_in_the_browser(browser: Any, site: Path, bundled_table: ProgressTable) -> None:
    page, problems = open_page(browser, (site / "doc/fiscal-year/2020/index.html").as_uri())
    rows = page.locator("#evaluations tbody tr")
    assert rows.count() == len(bundled_table.activities)
    page.fill("label.filter input", "地域課 未達成")
    own = [a for a in bundled_table.activities if a.department == "地域課" and a.result == "未達成"]
    assert page.locator("#evaluations tbody tr:visible").count() == len(own)
    page.fill("label.filter input", "")
    ratio = page.locator("#evaluations thead th", has_text="Ratio")
    ratio.locator("button").click()
    assert ratio.get_attribute("aria-sort") == "ascending"
    column = page.locator("#evaluations thead th").all_inner_texts().index(ratio.inner_text())
    values = [float(t.rstrip("%")) for t in page.locator(f"#evaluations tbody td:nth-child({column + 1})")
              .all_inner_texts() if t]
    assert values == sorted(values) and len(values) > 10
    assert problems == []
    page.close()


def test_the_site_search_finds_names_and_departments(browser: Any, static_host: str) -> None:
    page, problems = open_page(browser, f"{static_host}/search/index.html?q=大学")
    page.wait_for_selector("#search ol li")
    found = page.locator("#search ol li").all_inner_texts()
    assert any("大学等連携事業" in f and "事業 project" in f for f in found)
    page.fill("#search-input", "地域課")
    page.wait_for_function("document.querySelector('#search [role=status]').textContent.includes('件')")
    assert any("担当課 department" in f for f in page.locator("#search ol li").all_inner_texts())
    page.locator("#search ol li a", has_text="地域課").first.click()
    page.wait_for_load_state("load")
    assert page.inner_text("h1") == "地域課"
    assert problems == []
    page.close()


def test_a_finding_is_shown_where_its_evaluation_is(browser: Any, site: Path) -> None:
    project = "doc/plan/151076/vision-3/goal/III/policy/1/measure/1/project/6/index.html"
    page, problems = open_page(browser, (site / project).as_uri())
    row = page.locator("#evaluations tbody tr", has_text="III-1-1-6-2")
    assert "実績が印刷されていません" in row.inner_text()        # the row prints only ※ and 未達成
    row.locator("a.finding").first.click()
    page.wait_for_load_state("load")
    assert "検証の指摘 Validation findings" in page.inner_text("main")
    assert problems == []
    page.close()


def test_the_spreadsheet_csv_downloads_and_opens_as_excel_would(browser: Any, static_host: str,
                                                                bundled_table: ProgressTable) -> None:
    page, problems = open_page(browser, f"{static_host}/{NISHI_REPORT}")
    with page.expect_download() as download:
        page.click("a[href$='-spreadsheet.csv']", modifiers=["Alt"])   # Alt+click: save the link
    data = Path(download.value.path()).read_bytes()
    # Excel on Japanese Windows takes a BOM as UTF-8; without it, it would read cp932 and garble the text.
    assert data.startswith(b"\xef\xbb\xbf")
    header, *rows = data.decode("utf-8-sig").splitlines()
    assert "担当課" in header and "事業内容" in header and len(rows) == len(bundled_table.activities)
    assert problems == []
    page.close()


def test_a_large_sites_pages_pass_axe_fit_a_phone_and_link_files_a_static_host_has(
        browser: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The pages a large site writes (home, data, editor), on a static host: no axe violation, no overflow at
    either width, and every report's data files linked from the home page are there."""
    from planlod.bundled import BUNDLED_CATALOG
    from planlod.collection import find_sources
    from planlod.pipeline import build_site

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from synthetic import write_collection

    sources, large = tmp_path_factory.mktemp("large-sources"), tmp_path_factory.mktemp("large") / "site"
    write_collection(sources, 450, seed=3)
    assert build_site(find_sources(sources), large, catalog_path=BUNDLED_CATALOG, large=True, workers=1).published
    pages = ["index.html", "data.html", "sparql-editor/index.html"]
    assert wider_than_viewport(browser, large, [large / p for p in pages]) == []
    failures = {}
    with served_statically(large) as url:
        for path in pages:
            for width in WIDTHS:
                page, problems = open_page(browser, f"{url}/{path}")
                page.set_viewport_size({"width": width, "height": 900})
                found = axe_violations(page)
                if path == "index.html":
                    links = page.eval_on_selector_all("#reports a[href^='data/']", "as => as.map(a => a.href)")
                    assert len(links) >= 4
                    problems += [f"{link}: HTTP {code}" for link in links if (code := http_status(link)) != 200]
                if found or problems:
                    failures[f"{path} at {width}px"] = found + problems
                page.close()
    assert failures == {}


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return err.code
