"""The generated site: a page for every record, data files that match the catalog, nothing loaded from outside."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from htmlscan import scan
from referencing import Registry, Resource
from sitecatalog import TRICKY_CONTRIBUTION, TRICKY_TITLE, build, explorer_papers, write_site_catalog

from ai4radiology.catalog.catalog import Catalog
from ai4radiology.catalog.loader import load_catalog
from ai4radiology.formats.bibtex import catalog_bibtex, paper_bibtex
from ai4radiology.formats.catalogjson import CATALOG_SCHEMA, catalog_data
from ai4radiology.render.views import counts, paper_order
from ai4radiology.website.explorer import fold
from ai4radiology.website.filters import DESCRIPTION_LENGTH
from ai4radiology.website.linkmarks import LinkMark
from ai4radiology.website.paperpage import paper_links

RESOURCE_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "icon",
    "apple-touch-icon",
    "manifest",
}
CSS_URL = re.compile(r"""(?:@import\s+|url\(\s*)['"]?([^'")\s]+)""")


@pytest.fixture(scope="module")
def mini(tmp_path_factory) -> tuple[Catalog, Path]:
    work = tmp_path_factory.mktemp("mini-site")
    catalog_dir = write_site_catalog(work / "catalog")
    return load_catalog(catalog_dir).require_valid(), build(catalog_dir, work)


def is_external(url: str) -> bool:
    return bool(urlsplit(url).scheme in ("http", "https") or url.startswith("//"))


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# --- pages --------------------------------------------------------------------------------------


def test_every_record_has_its_page(mini):
    catalog, site = mini
    expected = [
        "index.html",
        "explorer.html",
        "taxonomy/index.html",
        "modalities/index.html",
        "datasets/index.html",
        "topics.html",
        "404.html",
    ]
    expected += [f"papers/{p.id}.html" for p in catalog.papers]
    expected += [f"datasets/{d.id}.html" for d in catalog.datasets]
    expected += [f"taxonomy/{f.id}/index.html" for f in catalog.families]
    expected += [f"taxonomy/{f.id}/{c.id}.html" for f in catalog.families for c in f.categories]
    expected += [f"modalities/{m.id.lower()}.html" for m in catalog.modalities.modalities]
    assert [path for path in expected if not (site / path).is_file()] == []


def test_paper_page_shows_every_field_and_its_bibtex(mini):
    catalog, site = mini
    paper = catalog.paper_ids["gamma-net"]
    page = scan(site / "papers" / "gamma-net.html")
    assert page.find("h1")
    for value in (
        paper.name,
        paper.title,
        paper.venue,
        str(paper.year),
        paper.contribution,
        paper.abstract,
        catalog.categories["nrf"].label,
        "MRI",
        "LIDC",
    ):
        assert value in page.text, value
    links = page.links()
    outgoing = [link.url for link in paper_links(paper)]
    assert outgoing[2:] == ["https://doi.org/10.1000/gamma.1", "https://arxiv.org/abs/2401.00001"]
    positions = [links.index(url) for url in outgoing]
    assert positions == sorted(positions)
    assert {"../datasets/lidc.html", "../modalities/mri.html", "../taxonomy/implicit/nrf.html"} <= set(links)
    assert ["download" in a.attrs for a in page.find("a", href="../catalog.bib")] == [True]


def _code_text(site: Path, paper_id: str) -> str:
    """The text of the page's BibTeX code block, as the copy button copies it."""
    source = (site / "papers" / f"{paper_id}.html").read_text(encoding="utf-8")
    block = re.search(r"<code[^>]*>(.*?)</code>", source[source.index('id="bibtex"') :], re.S).group(1)
    return html.unescape(re.sub(r"<[^>]+>", "", block)).strip()


def test_paper_bibtex_block_is_exactly_the_entry(mini):
    catalog, site = mini
    for paper in catalog.papers:
        assert _code_text(site, paper.id) == paper_bibtex(paper, catalog.venue_ids.get(paper.venue)).strip()


def test_dataset_page_lists_the_papers_that_use_it(mini):
    catalog, site = mini
    for dataset in catalog.datasets:
        linked = {
            link for link in scan(site / "datasets" / f"{dataset.id}.html").links() if link.startswith("../papers/")
        }
        assert linked == {f"../papers/{p.id}.html" for p in catalog.papers_using(dataset.id)}
    assert "No papers yet." in scan(site / "datasets" / "unused.html").text


def _table_row(source: str, href: str) -> list[str]:
    """The cells of the table row whose first cell links to `href`."""
    row = re.search(rf'<tr>\s*<td[^>]*><a href="{re.escape(href)}">.*?</tr>', source, re.S).group(0)
    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_index_pages_count_papers_per_dataset_modality_and_category(mini):
    catalog, site = mini
    datasets = (site / "datasets" / "index.html").read_text(encoding="utf-8")
    for dataset in catalog.datasets:
        assert _table_row(datasets, f"{dataset.id}.html")[-1] == str(len(catalog.papers_using(dataset.id)))
    modalities = (site / "modalities" / "index.html").read_text(encoding="utf-8")
    for modality in catalog.modalities.modalities:
        cells = _table_row(modalities, f"{modality.id.lower()}.html")
        assert cells[2:] == [
            str(sum(modality.id in p.modalities for p in catalog.papers)),
            str(sum(modality.id in d.modalities for d in catalog.datasets)),
        ]
    taxonomy = (site / "taxonomy" / "index.html").read_text(encoding="utf-8")
    for family in catalog.families:
        for category in family.categories:
            cells = _table_row(taxonomy, f"{family.id}/{category.id}.html")
            assert cells[1] == str(sum(category.id in p.representation for p in catalog.papers))


def test_category_and_modality_pages_list_exactly_their_papers(mini):
    catalog, site = mini
    for family in catalog.families:
        for category in family.categories:
            linked = {
                u
                for u in scan(site / "taxonomy" / family.id / f"{category.id}.html").links()
                if u.startswith("../../papers/")
            }
            assert linked == {f"../../papers/{p.id}.html" for p in catalog.papers if category.id in p.representation}
    for modality in catalog.modalities.modalities:
        linked = {
            u for u in scan(site / "modalities" / f"{modality.id.lower()}.html").links() if u.startswith("../papers/")
        }
        assert linked == {f"../papers/{p.id}.html" for p in catalog.papers if modality.id in p.modalities}


def test_home_shows_the_catalogs_counts_and_charts(mini):
    catalog, site = mini
    page = scan(site / "index.html")
    numbers = counts(catalog)
    for phrase in (
        f"{numbers.papers} papers",
        f"{numbers.with_code} with public code",
        f"{numbers.datasets} public datasets",
        f"{numbers.topics} open challenges",
    ):
        assert phrase in page.text
    charts = page.find("svg", **{"class": "chart"})
    assert len(charts) == 2 and all(c.attrs["fill"] == "currentColor" for c in charts)


def test_topics_page_lists_every_reference(mini):
    catalog, site = mini
    page = scan(site / "topics.html")
    for topic in catalog.topics:
        assert topic.title in page.text
        for reference in topic.references:
            assert reference.title in page.text and reference.url in page.links()


# --- catalog text stays text --------------------------------------------------------------------


def test_catalog_text_cannot_inject_markup_or_break_tables(mini):
    _, site = mini
    page = scan(site / "papers" / "gamma-net.html")
    assert TRICKY_TITLE in page.text
    assert TRICKY_CONTRIBUTION in page.text
    assert not page.find("b") and "https://evil.example.org" not in page.links()
    source = (site / "papers" / "gamma-net.html").read_text(encoding="utf-8")
    assert '<script>alert("x")</script>' not in source
    # In a table the pipe must not add a column: every row of the category table has as many cells as the header.
    table = (site / "taxonomy" / "implicit" / "nrf.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    assert len({len(re.findall(r"<t[hd][ >]", row)) for row in rows}) == 1
    assert TRICKY_TITLE in scan(site / "taxonomy" / "implicit" / "nrf.html").text


def test_titles_and_descriptions_survive_quotes_and_tags(mini):
    catalog, site = mini
    paper = catalog.paper_ids["gamma-net"]
    page = scan(site / "papers" / "gamma-net.html")
    assert page.meta("description") == TRICKY_CONTRIBUTION
    assert page.meta("og:description") == TRICKY_CONTRIBUTION
    assert page.title.startswith(f"{paper.name}: {TRICKY_TITLE}")


# --- data files -----------------------------------------------------------------------------------


def test_catalog_json_is_the_catalog_and_valid_against_its_published_schema(mini):
    catalog, site = mini
    data = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    assert data == catalog_data(catalog)
    schemas = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in (site / "schemas").iterdir()}
    registry = Registry().with_resources((name, Resource.from_contents(schema)) for name, schema in schemas.items())
    validator = jsonschema.Draft202012Validator(schemas[CATALOG_SCHEMA], registry=registry)
    assert [e.message for e in validator.iter_errors(data)] == []
    data["papers"][0]["year"] = "soon"
    assert list(validator.iter_errors(data)), "the schema must reject a paper with a bad year"


def test_explorer_index_lists_every_paper_in_reading_order_with_built_pages(mini):
    catalog, site = mini
    index = json.loads((site / "explorer.json").read_text(encoding="utf-8"))
    papers = explorer_papers(site)
    assert [p["id"] for p in papers] == [p.id for p in sorted(catalog.papers, key=paper_order)]
    assert all((site / p["url"]).is_file() for p in papers)
    representation = next(s for s in index["schemes"] if s["key"] == "categories")
    assert [v["id"] for v in representation["values"]] == list(catalog.categories)
    by_id = {p["id"]: p for p in papers}
    assert all(by_id[p.id]["categories"] == p.representation for p in catalog.papers)


def test_explorer_search_text_covers_authors_tags_datasets_and_abstract(mini):
    catalog, site = mini
    papers = explorer_papers(site)
    texts = json.loads((site / "explorer-search.json").read_text(encoding="utf-8"))
    assert len(texts) == len(papers)
    paper = catalog.paper_ids["gamma-net"]
    text = texts[[p["id"] for p in papers].index(paper.id)]
    for field in [paper.authors[0], paper.tags[0], "LIDC", paper.abstract.split()[-1]]:
        assert fold(field) in text, field
    rows = (site / "explorer.json").read_text(encoding="utf-8")
    assert paper.abstract not in rows, "the rows file must not carry the abstracts"


def test_feed_lists_newest_papers_first_with_links_to_their_pages(mini):
    catalog, site = mini
    feed = ET.parse(site / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == len(catalog.papers)
    published = [entry.find(f"{atom}published").text for entry in entries]
    assert published == sorted(published, reverse=True)
    newest = max(catalog.papers, key=lambda p: p.added)
    assert entries[0].find(f"{atom}title").text == f"{newest.name}: {newest.title}"
    assert feed.find(f"{atom}updated").text.startswith(newest.added.isoformat())
    assert all((site / entry.find(f"{atom}link").get("href")).is_file() for entry in entries)


def test_catalog_bib_holds_every_entry(mini):
    catalog, site = mini
    assert (site / "catalog.bib").read_text(encoding="utf-8") == catalog_bibtex(catalog)


# --- the real site: offline, relative, described ----------------------------------------------------


def test_no_page_loads_a_script_style_or_font_from_another_host(real_site):
    offending = []
    for path in html_pages(real_site):
        page = scan(path)
        for element in page.elements:
            url = (
                element.attrs.get("src")
                if element.tag in ("script", "img", "iframe", "source", "audio", "video")
                else element.attrs.get("href")
                if element.tag == "link" and RESOURCE_RELS & set((element.attrs.get("rel") or "").split())
                else None
            )
            if url and is_external(url):
                offending.append(f"{path.relative_to(real_site)}: <{element.tag}> {url}")
        source = path.read_text(encoding="utf-8")
        for style in re.findall(r"<style[^>]*>(.*?)</style>", source, re.S):
            offending += [
                f"{path.relative_to(real_site)}: <style> {u}" for u in CSS_URL.findall(style) if is_external(u)
            ]
    for path in sorted(real_site.rglob("*.css")):
        offending += [
            f"{path.relative_to(real_site)}: {u}"
            for u in CSS_URL.findall(path.read_text(encoding="utf-8"))
            if is_external(u)
        ]
    assert offending == []


def test_internal_links_are_relative_and_lead_to_files(real_site):
    broken = []
    for path in html_pages(real_site):
        if path.name == "404.html":  # served at any depth, so it must link from the site root
            continue
        for element in scan(path).elements:
            url = element.attrs.get("href") or element.attrs.get("src")
            if not url or is_external(url) or url.startswith(("#", "mailto:", "data:", "javascript:")):
                continue
            if url.startswith("/"):
                broken.append(f"{path.relative_to(real_site)}: absolute {url}")
                continue
            target = (path.parent / unquote(urlsplit(url).path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{path.relative_to(real_site)}: {url}")
    assert broken == []


def test_every_page_has_a_title_and_a_description_of_its_own(real_site, real_catalog):
    descriptions = {}
    for path in html_pages(real_site):
        page = scan(path)
        assert page.title.strip(), path
        if path.name != "404.html":
            descriptions[path.relative_to(real_site).as_posix()] = page.meta("description")
    assert all(descriptions.values())
    assert len(set(descriptions.values())) == len(descriptions), "two pages share a description"
    for paper in real_catalog.papers:
        description = html.unescape(descriptions[f"papers/{paper.id}.html"])
        assert len(description) <= DESCRIPTION_LENGTH
        assert " ".join(paper.contribution.split()).startswith(description.removesuffix(" …"))


def test_real_site_has_a_page_for_every_paper_and_dataset(real_site, real_catalog):
    assert {p.stem for p in (real_site / "papers").glob("*.html")} == set(real_catalog.paper_ids)
    assert {p.stem for p in (real_site / "datasets").glob("*.html")} - {"index"} == set(real_catalog.dataset_ids)


# --- link checker marks ------------------------------------------------------------------------------


def test_links_show_their_last_check_when_a_report_is_given(tmp_path):
    catalog_dir = write_site_catalog(tmp_path / "catalog")
    catalog = load_catalog(catalog_dir).require_valid()
    paper = catalog.paper_ids["alpha-net"]
    marks = {
        paper.paper: LinkMark("ok", 200, paper.paper, dt.date(2025, 7, 2)),
        paper.code: LinkMark("broken", 404, None, dt.date(2025, 7, 3)),
    }
    site = build(catalog_dir, tmp_path, link_marks=marks)
    page = scan(site / "papers" / "alpha-net.html")
    statuses = [
        (e.attrs["class"], e.attrs["title"]) for e in page.find("span") if "link-status" in (e.attrs.get("class") or "")
    ]
    assert statuses == [
        ("link-status link-status--ok", "Checked by the link checker on 2025-07-02: HTTP 200"),
        ("link-status link-status--broken", "Checked by the link checker on 2025-07-03: HTTP 404"),
    ]
    assert "verified 2025-07-02" in page.text and "broken 2025-07-03" in page.text


def test_without_a_report_links_carry_no_marks(mini):
    _, site = mini
    assert not any("link-status" in path.read_text(encoding="utf-8") for path in (site / "papers").glob("*.html"))


def test_stale_pages_disappear_when_a_record_is_removed(tmp_path):
    catalog_dir = write_site_catalog(tmp_path / "catalog")
    site = build(catalog_dir, tmp_path)
    assert (site / "papers" / "gamma-net.html").is_file()
    (catalog_dir / "papers" / "gamma-net.yaml").unlink()
    build(catalog_dir, tmp_path)
    assert not (tmp_path / "docs" / "papers" / "gamma-net.md").exists()
    assert not (site / "papers" / "gamma-net.html").exists()
    assert (site / "papers" / "alpha-net.html").is_file()
