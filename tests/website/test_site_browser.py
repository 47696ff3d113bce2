"""The built site in a real headless Chromium (search: test_site_search.py): explorer, copy button, dark mode, nothing from outside.

Every test runs under the `context` fixture, which fails it on a console error or
on any request that leaves loopback.
"""

from __future__ import annotations

import re

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


def expect_heading(page: Page, text: str) -> None:
    """The page's h1 says `text` (followed by its permalink mark)."""
    expect(page.locator("h1")).to_have_text(re.compile(rf"^{re.escape(text)}\s*¶?$"))


@pytest.mark.parametrize("path", MAIN_PAGES)
def test_main_pages_load_without_errors_or_outside_requests(page, watch, path):
    page.goto(path)
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_be_visible()
    assert watch.console_errors == [] and watch.outside_requests == []


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
