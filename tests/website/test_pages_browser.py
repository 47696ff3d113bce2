"""Paper pages and record text in a real Chromium, on the site tests' small catalog (it has authors, tags
and hostile text, which the real catalog lacks); screenshots of the main page types for a person to look at."""

from __future__ import annotations

import pytest
from conftest import EDIT_URL
from playwright.sync_api import Page, expect
from sitecatalog import TRICKY_AUTHOR, TRICKY_TITLE

from ai4radiology.website.paperpage import RelatedPapers

pytestmark = pytest.mark.browser


@pytest.fixture
def base_url(mini_site_url: str) -> str:
    return mini_site_url


def open_explorer(page: Page, query: str = "") -> None:
    page.goto(f"explorer.html{query}")
    expect(page.locator("[data-explorer]")).to_have_attribute("data-ready", "true")


def meta(page: Page, name: str) -> list[str]:
    return page.locator(f"meta[name='{name}']").evaluate_all("tags => tags.map(t => t.content)")


def test_citation_meta_tags_hold_the_record_verbatim(page, mini_catalog):
    paper = mini_catalog.paper_ids["gamma-net"]
    page.goto(f"papers/{paper.id}.html")
    assert meta(page, "citation_title") == [TRICKY_TITLE]
    assert meta(page, "citation_author") == paper.authors
    assert meta(page, "citation_publication_date") == [str(paper.year)]
    assert meta(page, "citation_journal_title") == [mini_catalog.venue_ids[paper.venue].name]
    assert meta(page, "citation_doi") == [paper.doi]
    assert meta(page, "citation_arxiv_id") == [paper.arxiv]
    assert page.locator("head script").evaluate_all("s => s.map(x => x.textContent)").count('alert("x")') == 0


def test_paper_without_authors_has_no_author_tags(page, mini_catalog):
    paper = next(p for p in mini_catalog.papers if not p.authors)
    page.goto(f"papers/{paper.id}.html")
    assert meta(page, "citation_author") == []
    assert meta(page, "citation_title") == [paper.title]


def test_authors_link_to_their_papers_in_the_explorer(page, mini_catalog):
    paper = mini_catalog.paper_ids["gamma-net"]
    page.goto(f"papers/{paper.id}.html")
    page.get_by_role("link", name=TRICKY_AUTHOR, exact=True).click()
    expect(page.locator("[data-explorer]")).to_have_attribute("data-ready", "true")
    expect(page.locator("[data-active]")).to_contain_text(f"Author: {TRICKY_AUTHOR}")
    expected = [p.id for p in mini_catalog.papers if TRICKY_AUTHOR in p.authors]
    assert page.locator("tbody[data-rows] tr").evaluate_all("r => r.map(x => x.dataset.paper)") == expected
    assert page.locator("[data-explorer] img").count() == 0  # the author's "<img …>" stayed text


def test_explorer_shows_and_searches_authors_as_text(page, mini_catalog):
    open_explorer(page, "?text=doe")
    row = page.locator("tr[data-paper='gamma-net']")
    expect(row.locator(".explorer-authors")).to_contain_text(TRICKY_AUTHOR)
    expect(row).to_contain_text(TRICKY_TITLE)
    assert page.locator("[data-explorer] img, [data-explorer] script").count() == 0
    expect(page.locator("[data-count]")).to_contain_text(f"1 of {len(mini_catalog.papers)} papers")


def test_paper_and_code_links_come_before_the_abstract(page, mini_catalog):
    paper = mini_catalog.paper_ids["alpha-net"]
    page.goto(f"papers/{paper.id}.html")
    buttons = page.locator("a.md-button")
    expect(buttons.nth(0)).to_have_attribute("href", paper.paper)
    expect(buttons.nth(1)).to_have_attribute("href", paper.code)
    abstract = page.locator("h2#abstract")
    assert buttons.nth(0).bounding_box()["y"] < abstract.bounding_box()["y"]


def test_related_papers_and_edit_link(page, mini_catalog):
    paper = mini_catalog.paper_ids["beta-net"]
    related = RelatedPapers(mini_catalog).of(paper)
    assert related, "the mini catalog needs a paper that shares category and modality with beta-net"
    page.goto(f"papers/{paper.id}.html")
    section = page.locator("h2#related-papers + p + ul")
    expect(section.locator("li")).to_have_count(len(related))
    for other in related:
        expect(section.get_by_role("link", name=other.name, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Edit this record")).to_have_attribute(
        "href", f"{EDIT_URL}papers/{paper.id}.yaml"
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_axe_violation_with_authors_and_hostile_text(page, mini_catalog, scheme):
    from test_site_a11y import blocking_violations

    page.emulate_media(color_scheme=scheme)
    for path in ["papers/gamma-net.html", "explorer.html?text=gamma", "datasets/lidc.html"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert blocking_violations(page) == [], path
