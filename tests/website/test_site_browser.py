"""The built site in a real headless Chromium (search: test_site_search.py): explorer, copy button, dark mode, nothing from outside.

Every test runs under the `context` fixture, which fails it on a console error or
on any request that leaves loopback.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from ai4radiology.formats.bibtex import paper_bibtex
from ai4radiology.render.views import paper_order

pytestmark = pytest.mark.browser

MAIN_PAGES = [
    "index.html",
    "explorer.html",
    "taxonomy/index.html",
    "modalities/index.html",
    "datasets/index.html",
    "topics.html",
]


def explorer_rows(page: Page) -> list[str]:
    return page.locator("tbody[data-rows] tr").evaluate_all("rows => rows.map(row => row.dataset.paper)")


def expect_heading(page: Page, text: str) -> None:
    """The page's h1 says `text` (followed by its permalink mark)."""
    expect(page.locator("h1")).to_have_text(re.compile(rf"^{re.escape(text)}\s*¶?$"))


def control(page: Page, label: str):
    """A filter control of the explorer (the header's search box is also labelled 'Search')."""
    return page.locator("[data-explorer]").get_by_label(label)


def open_explorer(page: Page, query: str = "") -> None:
    page.goto(f"explorer.html{query}")
    expect(page.locator("[data-explorer]")).to_have_attribute("data-ready", "true")


@pytest.mark.parametrize("path", MAIN_PAGES)
def test_main_pages_load_without_errors_or_outside_requests(page, watch, path):
    page.goto(path)
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_be_visible()
    assert watch.console_errors == [] and watch.outside_requests == []


def test_explorer_filters_by_modality_category_and_code(page, real_catalog):
    expected = sorted(
        p.id for p in real_catalog.papers if "MRI" in p.modalities and "nrf" in p.representation and p.code
    )
    assert expected, "the catalog has no MRI + NRF paper with code; choose other filters for this test"
    open_explorer(page)
    expect(page.locator("tbody[data-rows] tr")).to_have_count(len(real_catalog.papers))
    control(page, "Modality").select_option("MRI")
    control(page, "Category").select_option("nrf")
    control(page, "Has code").check()
    expect(page.locator("[data-count]")).to_have_text(f"{len(expected)} of {len(real_catalog.papers)} papers")
    expect(page.locator("tbody[data-rows] tr")).to_have_count(len(expected))
    assert sorted(explorer_rows(page)) == expected


def test_explorer_free_text_and_year_range(page, real_catalog):
    expected = sorted(
        p.id for p in real_catalog.papers if "nerf" in f"{p.name} {p.title}".lower() and 2023 <= p.year <= 2024
    )
    open_explorer(page)
    control(page, "Search").fill("NeRF")
    control(page, "From").fill("2023")
    control(page, "To").fill("2024")
    expect(page.locator("tbody[data-rows] tr")).to_have_count(len(expected))
    assert sorted(explorer_rows(page)) == expected


def test_explorer_state_round_trips_through_the_url(page, real_catalog):
    open_explorer(page)
    control(page, "Modality").select_option("CT")
    control(page, "Has code").check()
    page.get_by_role("button", name="Year").click()
    page.get_by_role("button", name="Year").click()  # twice: newest first
    expect(page.locator("th[aria-sort=descending]")).to_have_text("Year")
    shown = explorer_rows(page)
    shared = page.url
    assert parse_qs(urlsplit(shared).query) == {"modality": ["CT"], "code": ["1"], "sort": ["year"], "order": ["desc"]}

    page.goto("index.html")
    open_explorer(page, "?" + urlsplit(shared).query)
    expect(control(page, "Modality")).to_have_value("CT")
    expect(control(page, "Has code")).to_be_checked()
    expect(page.locator("th[aria-sort=descending]")).to_have_text("Year")
    assert explorer_rows(page) == shown
    years = [real_catalog.paper_ids[i].year for i in shown]
    assert years == sorted(years, reverse=True)
    assert sorted(shown) == sorted(p.id for p in real_catalog.papers if "CT" in p.modalities and p.code)


def test_explorer_sorts_by_name_both_ways(page, real_catalog):
    def shown_names() -> list[str]:
        # The explorer collates like a reader would: "C²RV" sorts as "C2RV", case and accents aside.
        return [unicodedata.normalize("NFKD", real_catalog.paper_ids[i].name).casefold() for i in explorer_rows(page)]

    open_explorer(page)
    page.get_by_role("button", name="Name").click()
    expect(page.locator("th[aria-sort=ascending]")).to_have_text("Name")
    assert shown_names() == sorted(shown_names())
    page.get_by_role("button", name="Name").click()
    expect(page.locator("th[aria-sort=descending]")).to_have_text("Name")
    assert shown_names() == sorted(shown_names(), reverse=True)


def test_explorer_rows_open_paper_pages(page, real_catalog):
    first = min(real_catalog.papers, key=paper_order)
    open_explorer(page)
    page.locator("tbody[data-rows] tr").first.get_by_role("link", name=first.name).click()
    expect_heading(page, first.name)


def test_copy_button_puts_the_papers_bibtex_on_the_clipboard(page, real_catalog):
    paper = real_catalog.paper_ids["r2-gaussian"]
    page.goto(f"papers/{paper.id}.html")
    block = page.locator(".highlight").filter(has_text=f"{{{paper.id},")
    block.hover()
    block.get_by_role("button", name="Copy to clipboard").click()
    page.wait_for_function("async () => (await navigator.clipboard.readText()).length > 0")
    venue = real_catalog.venue_ids[paper.venue]
    assert page.evaluate("navigator.clipboard.readText()").strip() == paper_bibtex(paper, venue).strip()


def test_paper_page_links_its_datasets_and_the_whole_bib(page, real_catalog):
    paper = next(p for p in sorted(real_catalog.papers, key=paper_order) if p.datasets)
    page.goto(f"papers/{paper.id}.html")
    for dataset_id in paper.datasets:
        dataset = real_catalog.dataset_ids[dataset_id]
        expect(page.get_by_role("link", name=dataset.name, exact=True)).to_have_attribute(
            "href", f"../datasets/{dataset.id}.html"
        )
    download = page.get_by_role("link", name="Download catalog.bib")
    expect(download).to_have_attribute("download", "")
    response = page.request.get(download.evaluate("a => a.href"))
    assert response.ok and f"{{{paper.id}," in response.text()


def test_charts_follow_the_dark_scheme(page):
    def chart_text_colour() -> str:
        return page.locator("svg.chart text").first.evaluate("t => getComputedStyle(t).fill")

    page.emulate_media(color_scheme="light")
    page.goto("index.html")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    light = chart_text_colour()
    page.emulate_media(color_scheme="dark")
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    dark = chart_text_colour()
    assert light != dark
    assert _luminance(dark) > 0.5 > _luminance(light), (light, dark)


def _luminance(css_colour: str) -> float:
    """0 for black, 1 for white, from 'rgb(r, g, b)' or 'rgba(r, g, b, a)'."""
    channels = [float(v) for v in css_colour[css_colour.index("(") + 1 : -1].split(",")[:3]]
    return sum(channels) / (3 * 255)


def test_screenshots_of_home_explorer_and_a_paper(page, artifacts):
    shots = {"home": "index.html", "explorer": "explorer.html", "paper": "papers/r2-gaussian.html"}
    for name, path in shots.items():
        page.goto(path)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=artifacts / f"site-{name}.png", full_page=True)
    page.emulate_media(color_scheme="dark")
    page.goto("index.html")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=artifacts / "site-home-dark.png", full_page=True)
    for name in [*shots, "home-dark"]:
        assert (artifacts / f"site-{name}.png").stat().st_size > 10_000
