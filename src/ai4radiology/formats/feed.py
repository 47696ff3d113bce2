"""The Atom feed of newly added papers, from each record's `added` date.

Written with the standard library's ElementTree, which escapes every value; feedgen would add lxml,
a large compiled dependency, for the same few elements.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import urljoin
from xml.etree import ElementTree as ET

from ai4radiology.catalog.catalog import Catalog
from ai4radiology.catalog.models import Paper
from ai4radiology.render.views import display_title, paper_order

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50


def newest_papers(catalog: Catalog, limit: int | None = None) -> list[Paper]:
    """Most recently added first; of papers added the same day, the most recently published first."""
    return sorted(catalog.papers, key=lambda p: (-p.added.toordinal(), -p.year, paper_order(p)))[:limit]


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = text
    return element


def atom_feed(
    catalog: Catalog,
    page_url: Callable[[Paper], str],
    *,
    base_url: str | None = None,
    feed_path: str = "feed.xml",
    limit: int = FEED_SIZE,
) -> str:
    """The feed as text. With `base_url` (the site's URL) every link is absolute, as feed readers need;
    without it links are relative to the feed, which is at the site's root."""

    def link(path: str) -> str:
        return urljoin(base_url, path) if base_url else path

    papers = newest_papers(catalog, limit)
    feed = ET.Element("feed", {"xmlns": ATOM})
    _add(feed, "id", "urn:ai4radiology:new-papers")
    _add(feed, "title", "ai4radiology: newly added papers")
    _add(feed, "subtitle", "AI methods for 3D reconstruction in radiology, as they enter the catalog.")
    _add(feed, "updated", _timestamp(max((p.added for p in papers), default=dt.date(1990, 1, 1))))
    _add(feed, "link", rel="self", href=link(feed_path), type="application/atom+xml")
    _add(feed, "link", rel="alternate", href=link("./"), type="text/html")
    _add(_add(feed, "author"), "name", "ai4radiology contributors")
    categories = catalog.categories
    for paper in papers:
        entry = _add(feed, "entry")
        _add(entry, "id", f"urn:ai4radiology:paper:{paper.id}")
        _add(entry, "title", display_title(paper))
        _add(entry, "link", rel="alternate", href=link(page_url(paper)), type="text/html")
        _add(entry, "published", _timestamp(paper.added))
        _add(entry, "updated", _timestamp(paper.added))
        for author in paper.authors:
            _add(_add(entry, "author"), "name", author)
        for category_id in paper.representation:
            _add(entry, "category", term=category_id, label=categories[category_id].label)
        _add(entry, "summary", f"{paper.contribution} ({paper.venue}, {paper.year}; {', '.join(paper.modalities)})")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
