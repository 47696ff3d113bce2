"""The site search: Pagefind's index, built after MkDocs, queried from the header's box in a real Chromium.

Browser tests run under the `context` fixture (conftest.py), which fails them on a console error
or on any request that leaves loopback.
"""

from __future__ import annotations

import json
import re
import sys
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, expect
from sitecatalog import PUBLISHED_URL, TRICKY_CONTRIBUTION, TRICKY_TITLE
from siteserver import serve_site

from ai4radiology.website.search import INDEX_DIR, SearchIndexError, index_site

REPO = Path(__file__).resolve().parents[2]
# Loading the index on a busy 2-core machine can take a while; the benchmark measures the real speed.
SEARCH_TIMEOUT_MS = 30_000
SUB_PATH = urlsplit(PUBLISHED_URL).path


def search(page: Page, query: str) -> None:
    """Type into the header's search box, key by key as a reader does."""
    box = page.get_by_placeholder("Search")
    box.click()
    box.press_sequentially(query)


def result_link(page: Page, href_part: str):
    return page.locator(f".md-search-result__item > a[href*='{href_part}']").first


def search_requests(page: Page) -> list[str]:
    """Collects, from now on, the URLs of the page's requests for search: Pagefind's index, or lunr's."""
    seen: list[str] = []

    def note(request: Request) -> None:
        if f"/{INDEX_DIR}/" in request.url or "search_index.json" in request.url or "workers/search" in request.url:
            seen.append(request.url)

    page.on("request", note)
    return seen


# --- the real site ----------------------------------------------------------------------------------


@pytest.mark.browser
def test_search_for_gaussian_lists_r2_gaussian(page, real_catalog):
    paper = real_catalog.paper_ids["r2-gaussian"]
    page.goto("index.html")
    search(page, "Gaussian")
    expect(result_link(page, f"papers/{paper.id}.html")).to_be_visible(timeout=SEARCH_TIMEOUT_MS)
    expect(result_link(page, f"papers/{paper.id}.html")).to_contain_text(paper.name)


@pytest.mark.browser
def test_search_finds_a_paper_by_a_word_of_its_abstract_and_opens_it(page, real_catalog):
    paper = real_catalog.paper_ids["r2-gaussian"]
    assert "voxelizer" in paper.abstract
    page.goto("explorer.html")
    search(page, "voxelizer")
    result_link(page, f"papers/{paper.id}.html").click(timeout=SEARCH_TIMEOUT_MS)
    expect(page).to_have_url(re.compile(rf"/papers/{paper.id}\.html$"))
    expect(page.locator("h1")).to_contain_text(paper.name)


@pytest.mark.browser
@pytest.mark.parametrize("path", ["index.html", "papers/r2-gaussian.html", "explorer.html", "taxonomy/index.html"])
def test_a_page_where_nobody_searches_downloads_nothing_of_the_index(page, path):
    requested = search_requests(page)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    page.mouse.wheel(0, 2000)
    page.get_by_placeholder("Search").hover()
    page.wait_for_load_state("networkidle")
    assert requested == []
    # The same watcher sees the index load as soon as a reader turns to the search box.
    with page.expect_request(lambda request: request.url.endswith(f"/{INDEX_DIR}/pagefind.js")):
        page.get_by_placeholder("Search").focus()
    assert requested


def test_every_page_but_the_404_page_is_indexed_and_lunr_is_gone(real_site):
    pages = sorted(real_site.rglob("*.html"))
    entry = json.loads((real_site / INDEX_DIR / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert sum(language["page_count"] for language in entry["languages"].values()) == len(pages) - 1
    assert not (real_site / "search").exists(), "lunr's search_index.json is built again"
    for path in pages:
        assert ("data-pagefind-body" in path.read_text(encoding="utf-8")) == (path.name != "404.html"), path


def test_the_header_override_is_the_themes_header_apart_from_the_search_box():
    """templates/site/overrides/partials/header.html copies the theme's; a theme upgrade must be copied again."""

    def outside_search(text: str, search_starts: str) -> str:
        text = re.sub(r"^\{#-.*?-#\}\n", "", text, count=1, flags=re.S)  # the leading comment
        start, end = text.index(search_starts), text.index("{% if config.repo_url %}")
        return text[:start] + text[end:]

    theme = (files("material") / "templates" / "partials" / "header.html").read_text(encoding="utf-8")
    ours = (REPO / "templates" / "site" / "overrides" / "partials" / "header.html").read_text(encoding="utf-8")
    assert "partials/site-search.html" in ours
    assert outside_search(ours, "    {#- ai4radiology:") == outside_search(
        theme, '    {% if "material/search" in config.plugins %}'
    )


def test_a_folder_without_pages_is_reported_not_indexed(tmp_path):
    with pytest.raises(SearchIndexError, match=r"^Pagefind failed \(exit status 1\): .*html files"):
        index_site(tmp_path)
    assert not (tmp_path / INDEX_DIR / "pagefind.js").exists()


def test_a_missing_pagefind_is_explained(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pagefind_bin", None)  # as if `pagefind[bin]` were not installed
    (tmp_path / "index.html").write_text("<html><body><p>Text</p></body></html>", encoding="utf-8")
    with pytest.raises(SearchIndexError, match=r"Pagefind is not installed.*pip install 'pagefind\[bin\]'"):
        index_site(tmp_path)


# --- a site published under a sub-path ----------------------------------------------------------------


@pytest.fixture(scope="module")
def sub_path_url(published_site: Path) -> str:
    """The site built for PUBLISHED_URL, served under its path on loopback."""
    with serve_site(published_site, SUB_PATH) as url:
        yield url


@pytest.mark.browser
def test_search_works_under_a_sub_path(page, sub_path_url):
    requested = search_requests(page)
    page.goto(f"{sub_path_url}papers/alpha-net.html")
    search(page, "GammaNet")
    link = result_link(page, "gamma-net.html")
    expect(link).to_have_attribute("href", f"{SUB_PATH}papers/gamma-net.html", timeout=SEARCH_TIMEOUT_MS)
    link.click()
    expect(page.locator("h1")).to_contain_text("GammaNet")
    assert requested and all(url.startswith(f"{sub_path_url}{INDEX_DIR}/") for url in requested), requested


@pytest.mark.browser
def test_search_results_show_page_text_as_text(page, sub_path_url):
    page.goto(f"{sub_path_url}index.html")
    search(page, "brackets")
    results = page.locator(".md-search-result__list")
    expect(result_link(page, "gamma-net.html")).to_be_visible(timeout=SEARCH_TIMEOUT_MS)
    expect(result_link(page, "gamma-net.html").locator("h1")).to_have_text(f"GammaNet: {TRICKY_TITLE}")
    expect(results).to_contain_text("<b>tags</b>")
    assert "<b>tags</b>" in TRICKY_CONTRIBUTION
    assert results.locator("b, script, a[href*='evil']").count() == 0
    expect(results.locator("mark").first).to_have_text(re.compile("brackets", re.I))


@pytest.mark.browser
def test_the_404_page_works_under_a_sub_path(page, watch, sub_path_url):
    failed: list[str] = []
    page.on("response", lambda response: response.ok or failed.append(response.url))
    response = page.goto(f"{sub_path_url}no/such/page.html")
    assert response.status == 404
    page.wait_for_load_state("networkidle")
    assert failed == [response.url], "only the missing page itself may fail; the 404 page's assets must load"
    # A 404 document makes Chromium log one console error of its own; nothing else may.
    watch.console_errors[:] = [e for e in watch.console_errors if "status of 404" not in e]
    expect(page.locator("h1")).to_have_text("Page not found")
    expect(page.locator(".md-header")).not_to_have_css("background-color", "rgba(0, 0, 0, 0)")
    search(page, "GammaNet")
    expect(result_link(page, "gamma-net.html")).to_have_attribute(
        "href", f"{SUB_PATH}papers/gamma-net.html", timeout=SEARCH_TIMEOUT_MS
    )
    page.keyboard.press("Escape")  # closes the search, as it does on every page
    page.locator(".md-content").get_by_role("link", name="Explorer").click()
    expect(page).to_have_url(f"{sub_path_url}explorer.html")
