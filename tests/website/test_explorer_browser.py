"""The explorer in a real Chromium, on the real catalog: filters, counts, search, sorting, paging,
history, export, the table without JavaScript and the phone layout.

Expected results are computed from the catalog, never written down.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from urllib.parse import parse_qs, urlsplit

import bibtexparser
import pytest
from playwright.sync_api import Page, expect

from ai4radiology.website.explorer import ROWS_WITHOUT_SCRIPT, fold, newest_first

pytestmark = pytest.mark.browser

PAGE_SIZE = 25  # explorer.js PAGE_SIZE


def rows(page: Page) -> list[str]:
    return page.locator("tbody[data-rows] tr").evaluate_all("rows => rows.map(row => row.dataset.paper)")


def control(page: Page, label: str):
    """A control of the explorer (the header's search box is also labelled 'Search')."""
    return page.locator("[data-explorer]").get_by_label(label, exact=True)


def facet(page: Page, name: str, value: str):
    return page.locator(f"[data-facet='{name}'] input[value='{value}']")


def open_explorer(page: Page, query: str = "") -> None:
    page.goto(f"explorer.html{query}")
    expect(page.locator("[data-explorer]")).to_have_attribute("data-ready", "true")


def expect_count(page: Page, shown: int, total: int) -> None:
    expect(page.locator("[data-count]")).to_contain_text(f"{shown} of {total} papers")


def newest_ids(papers) -> list[str]:
    return [p.id for p in newest_first(list(papers))]


def test_newest_papers_come_first_one_page_at_a_time(page, real_catalog):
    open_explorer(page)
    expected = newest_ids(real_catalog.papers)
    expect_count(page, len(expected), len(expected))
    assert rows(page) == expected[:PAGE_SIZE]
    expect(page.locator("th[aria-sort=descending]")).to_have_text("Year")
    if len(expected) > PAGE_SIZE:
        page.get_by_role("button", name="Next").click()
        expect(page.locator("tbody[data-rows] tr").first).to_have_attribute("data-paper", expected[PAGE_SIZE])
        assert rows(page) == expected[PAGE_SIZE : 2 * PAGE_SIZE]
        assert parse_qs(urlsplit(page.url).query) == {"page": ["2"]}


def test_several_modalities_and_categories_at_once_with_counts(page, real_catalog):
    papers = real_catalog.papers
    open_explorer(page)
    # Counts with nothing chosen: every paper on the modality.
    for modality in ["CT", "MRI"]:
        n = sum(modality in p.modalities for p in papers)
        expect(facet(page, "modality", modality).locator("xpath=..")).to_contain_text(str(n))
    facet(page, "modality", "MRI").check()
    facet(page, "modality", "PET").check()
    facet(page, "categories", "nrf").check()
    facet(page, "categories", "volume").check()
    control(page, "Has code").check()
    expected = [
        p for p in papers if {"MRI", "PET"} & set(p.modalities) and {"nrf", "volume"} & set(p.representation) and p.code
    ]
    assert expected, "choose other filters: none of the catalog's papers matches"
    expect_count(page, len(expected), len(papers))
    assert sorted(rows(page)) == sorted(p.id for p in expected)
    # Beside "CT": how many papers would match with CT added to the chosen modalities.
    with_ct = sum(1 for p in papers if "CT" in p.modalities and {"nrf", "volume"} & set(p.representation) and p.code)
    expect(facet(page, "modality", "CT").locator("xpath=..").locator(".explorer-n")).to_have_text(str(with_ct))


def test_tag_chips_filter_and_show_counts(page, real_catalog):
    tagged = [p for p in real_catalog.papers if "sparse-view" in p.tags]
    assert tagged
    open_explorer(page)
    chip = page.locator("[data-facet='tag'] label:has(input[value='sparse-view'])")
    expect(chip.locator(".explorer-n")).to_have_text(str(len(tagged)))
    chip.click()
    expect_count(page, len(tagged), len(real_catalog.papers))
    assert sorted(rows(page)) == sorted(p.id for p in tagged)


@pytest.mark.parametrize("query", ["sparse-view", "LIDC", "voxelizer"])
def test_search_covers_tags_datasets_and_abstracts(page, real_catalog, query):
    def text(p) -> str:
        datasets = [real_catalog.dataset_ids[d].name for d in p.datasets]
        fields = [p.name, p.title, *p.authors, p.venue, *p.modalities, *p.tags, *datasets, *p.datasets, p.abstract]
        return fold(" ".join(field for field in fields if field))

    expected = [p.id for p in real_catalog.papers if fold(query) in text(p)]
    assert expected, f"no paper mentions {query!r}"
    open_explorer(page)
    control(page, "Search").fill(query)
    expect_count(page, len(expected), len(real_catalog.papers))
    assert sorted(rows(page)) == sorted(expected)


def test_sparse_view_search_finds_every_tagged_paper(page, real_catalog):
    tagged = {p.id for p in real_catalog.papers if "sparse-view" in p.tags}
    open_explorer(page)
    control(page, "Search").fill("sparse-view")
    expect(page.locator("[data-count]")).not_to_contain_text(f"{len(real_catalog.papers)} of")
    assert tagged <= set(rows(page))


def test_year_range_is_validated(page, real_catalog):
    years = sorted({p.year for p in real_catalog.papers})
    open_explorer(page)
    control(page, "From").fill(str(years[-1]))
    control(page, "To").fill(str(years[0]))
    expect(page.get_by_role("alert")).to_have_text("From must not be after To.")
    expect(control(page, "From")).to_have_attribute("aria-invalid", "true")
    expect_count(page, len(real_catalog.papers), len(real_catalog.papers))  # an invalid range filters nothing
    control(page, "To").fill("1800")
    expect(page.get_by_role("alert")).to_contain_text("To must be a year between")
    control(page, "From").fill(str(years[-2]))
    control(page, "To").fill(str(years[-1]))
    expect(page.get_by_role("alert")).to_be_hidden()
    expected = [p for p in real_catalog.papers if years[-2] <= p.year <= years[-1]]
    expect_count(page, len(expected), len(real_catalog.papers))


def test_back_undoes_a_filter_and_links_restore_the_view(page, real_catalog):
    open_explorer(page)
    facet(page, "modality", "CT").check()
    control(page, "Has code").check()
    page.get_by_role("button", name="Name").click()
    expect(page.locator("th[aria-sort=ascending]")).to_have_text("Name")
    assert parse_qs(urlsplit(page.url).query) == {"modality": ["CT"], "code": ["1"], "sort": ["name"], "order": ["asc"]}
    shown = rows(page)
    shared = page.url

    page.go_back()  # undoes the sort
    expect(page.locator("th[aria-sort=descending]")).to_have_text("Year")
    page.go_back()  # undoes "Has code"
    expect(control(page, "Has code")).not_to_be_checked()
    expected = [p for p in real_catalog.papers if "CT" in p.modalities]
    expect_count(page, len(expected), len(real_catalog.papers))

    page.goto("index.html")
    open_explorer(page, "?" + urlsplit(shared).query)
    expect(facet(page, "modality", "CT")).to_be_checked()
    expect(control(page, "Has code")).to_be_checked()
    assert rows(page) == shown


def test_sorts_by_name_both_ways(page, real_catalog):
    def shown_names() -> list[str]:
        return [unicodedata.normalize("NFKD", real_catalog.paper_ids[i].name).casefold() for i in rows(page)]

    open_explorer(page)
    page.get_by_role("button", name="Name").click()
    expect(page.locator("th[aria-sort=ascending]")).to_have_text("Name")
    assert shown_names() == sorted(shown_names())
    page.get_by_role("button", name="Name").click()
    expect(page.locator("th[aria-sort=descending]")).to_have_text("Name")
    assert shown_names() == sorted(shown_names(), reverse=True)


def test_rows_open_paper_pages(page, real_catalog):
    first = newest_first(real_catalog.papers)[0]
    open_explorer(page)
    page.locator("tbody[data-rows] tr").first.get_by_role("link", name=first.name).click()
    expect(page.locator("h1")).to_contain_text(first.name)


def test_export_of_the_filtered_set_as_bibtex_and_csl(page, real_catalog):
    expected = sorted(p.id for p in real_catalog.papers if "PET" in p.modalities)
    open_explorer(page, "?modality=PET")
    expect_count(page, len(expected), len(real_catalog.papers))
    with page.expect_download() as bib:
        page.get_by_role("button", name="BibTeX").click()
    library = bibtexparser.parse_string(bib.value.path().read_text(encoding="utf-8"))
    assert library.failed_blocks == []
    assert sorted(e.key for e in library.entries) == expected
    with page.expect_download() as csl:
        page.get_by_role("button", name="CSL-JSON").click()
    items = json.loads(csl.value.path().read_text(encoding="utf-8"))
    assert sorted(item["id"] for item in items) == expected


def test_export_of_selected_rows_as_csv(page, real_catalog):
    open_explorer(page)
    chosen = rows(page)[:3]
    for paper_id in chosen:
        page.locator(f"tr[data-paper='{paper_id}'] input[type=checkbox]").check()
    expect(page.locator("[data-export-what]")).to_have_text("3 selected")
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV").click()
    assert download.value.suggested_filename == "papers.csv"
    table = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert [row["id"] for row in table] == sorted(chosen, key=rows(page).index)
    paper = real_catalog.paper_ids[chosen[0]]
    assert table[0]["title"] == paper.title and table[0]["year"] == str(paper.year)


def test_category_modality_and_dataset_pages_link_into_the_filtered_explorer(page, real_catalog):
    dataset = max(real_catalog.datasets, key=lambda d: len(real_catalog.papers_using(d.id)))
    page.goto(f"datasets/{dataset.id}.html")
    page.get_by_role("link", name=re.compile("in the explorer")).click()
    expect(page.locator("[data-explorer]")).to_have_attribute("data-ready", "true")
    users = real_catalog.papers_using(dataset.id)
    expect_count(page, len(users), len(real_catalog.papers))
    expect(page.locator("[data-active]")).to_contain_text(f"Dataset: {dataset.name}")

    page.goto("modalities/ct.html")
    page.get_by_role("link", name=re.compile("in the explorer")).click()
    expect(page.locator("[data-explorer]")).to_have_attribute("data-ready", "true")
    expect(facet(page, "modality", "CT")).to_be_checked()
    expect_count(page, sum("CT" in p.modalities for p in real_catalog.papers), len(real_catalog.papers))


def test_chart_bars_link_into_the_explorer(page, real_catalog):
    page.goto("index.html")
    page.locator("svg.chart a[href*='modality=MRI']").click()
    expect(page.locator("[data-explorer]")).to_have_attribute("data-ready", "true")
    expect(facet(page, "modality", "MRI")).to_be_checked()
    expect_count(page, sum("MRI" in p.modalities for p in real_catalog.papers), len(real_catalog.papers))


def test_without_javascript_the_newest_papers_are_a_plain_table(browser, base_url, real_catalog):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("explorer.html")
        assert rows(page) == newest_ids(real_catalog.papers)[:ROWS_WITHOUT_SCRIPT]
        expect(page.locator("tbody[data-rows] a").first).to_be_visible()
    finally:
        context.close()


class TestPhone:
    @pytest.fixture
    def viewport(self) -> dict[str, int]:
        return {"width": 390, "height": 844}

    def test_cards_replace_the_table_and_nothing_scrolls_sideways(self, page, real_catalog):
        open_explorer(page)
        first = page.locator("tbody[data-rows] tr").first
        expect(first).to_have_css("display", "block")
        name = first.get_by_role("link", name=newest_first(real_catalog.papers)[0].name)
        name.scroll_into_view_if_needed()
        box = name.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    def test_tap_targets_are_at_least_24_px(self, page):
        open_explorer(page)
        targets = page.locator(
            "tbody[data-rows] tr:first-child a, [data-facet] label, [data-export] button, th button"
        ).evaluate_all(
            "els => els.filter(e => e.offsetParent).map(e => [e.textContent.trim(), e.getBoundingClientRect().height])"
        )
        small = [(text, height) for text, height in targets if height < 24]
        assert targets and small == []
