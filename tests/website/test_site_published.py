"""The site as published at an address (site_url set from SITE_URL): absolute feed links, a complete
sitemap, a 404 page that loads from the site's sub-path; and paper titles that name a paper once."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from htmlscan import scan
from sitecatalog import PUBLISHED_URL

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def doubled(name: str, text: str) -> bool:
    """Whether `text` starts with the name twice ("3DGR-CT: 3DGR-CT: …")."""
    return bool(re.match(rf"\s*{re.escape(name)}\W+{re.escape(name)}(\W|$)", text, re.I))


def test_page_titles_and_feed_entries_name_each_paper_once(real_site, real_catalog):
    assert any(p.title and p.title.lower().startswith(p.name.lower()) for p in real_catalog.papers), (
        "no title starts with its paper's name any more; this test then checks nothing"
    )
    for paper in real_catalog.papers:
        title = scan(real_site / "papers" / f"{paper.id}.html").title
        assert (paper.title or paper.name) in title and not doubled(paper.name, title), title
    feed = ET.parse(real_site / "feed.xml").getroot()
    entries = [
        (real_catalog.paper_ids[entry.find(f"{ATOM}id").text.rsplit(":", 1)[1]], entry.find(f"{ATOM}title").text)
        for entry in feed.findall(f"{ATOM}entry")
    ]
    assert entries
    assert [
        title for paper, title in entries if (paper.title or paper.name) not in title or doubled(paper.name, title)
    ] == []


def test_published_feed_links_are_absolute_and_lead_to_pages(published_site: Path):
    feed = ET.parse(published_site / "feed.xml").getroot()
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": f"{PUBLISHED_URL}feed.xml", "alternate": PUBLISHED_URL}
    entry_links = [entry.find(f"{ATOM}link").get("href") for entry in feed.findall(f"{ATOM}entry")]
    assert entry_links and all(href.startswith(PUBLISHED_URL) for href in entry_links)
    assert all((published_site / href.removeprefix(PUBLISHED_URL)).is_file() for href in entry_links)


def test_published_sitemap_lists_every_page(published_site: Path):
    sitemap = ET.parse(published_site / "sitemap.xml").getroot()
    listed = sorted(url.find(f"{SITEMAP}loc").text for url in sitemap.findall(f"{SITEMAP}url"))
    pages = sorted(
        f"{PUBLISHED_URL}{path.relative_to(published_site).as_posix()}"
        for path in published_site.rglob("*.html")
        if path.name != "404.html" and not path.is_relative_to(published_site / "pagefind")
    )
    assert any("/papers/" in url for url in listed) and listed == pages


def test_published_404_page_loads_everything_from_the_sites_path(published_site: Path):
    """A host serves 404.html at any depth, so its links start at the site's path (the browser test loads it)."""
    path = urlsplit(PUBLISHED_URL).path
    urls = [e.attrs.get("href") or e.attrs.get("src") for e in scan(published_site / "404.html").elements]
    local = [url for url in urls if url and not url.startswith(("#", "http:", "https:", "data:", "javascript:"))]
    assert local and [url for url in local if not url.startswith(path)] == []


def test_a_paper_without_a_known_title_shows_no_placeholder(real_site, real_catalog):
    untitled = [p for p in real_catalog.papers if not p.title]
    assert untitled, "every paper has a title now; this test then checks nothing"
    pages = [real_site / "papers" / f"{p.id}.html" for p in real_catalog.papers]
    shown = [page for page in [*pages, real_site / "explorer.html"] if re.search(r"\bNone\b", scan(page).text)]
    assert shown == []
