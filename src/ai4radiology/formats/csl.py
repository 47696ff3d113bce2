"""The catalog's papers as CSL-JSON (Citation Style Language): what Zotero, Pandoc and citeproc read."""

from __future__ import annotations

import json

from ai4radiology.catalog.catalog import Catalog
from ai4radiology.catalog.models import Paper, Venue, arxiv_url
from ai4radiology.formats.bibtex import entry_type

# BibTeX entry type -> CSL item type; bibtex.entry_type decides what a venue is.
_CSL_TYPES = {"article": "article-journal", "inproceedings": "paper-conference", "misc": "article"}


def csl_name(author: str) -> dict[str, str]:
    """'Family, Given' as the catalog writes authors -> a CSL name; anything else stays literal."""
    family, comma, given = author.partition(",")
    if comma and family.strip() and given.strip():
        return {"family": family.strip(), "given": given.strip()}
    return {"literal": author}


def paper_item(paper: Paper, venue: Venue | None = None) -> dict[str, object]:
    """`venue` is the paper's entry of the venues vocabulary: it gives the item type and the full name."""
    item: dict[str, object] = {
        "id": paper.id,
        "type": _CSL_TYPES[entry_type(paper.venue, venue.kind if venue else None)[0]],
        "container-title": venue.name if venue else paper.venue,
        "issued": {"date-parts": [[paper.year]]},
        "URL": paper.paper,
    }
    if paper.title:
        item["title"] = paper.title
    if paper.abstract:
        item["abstract"] = paper.abstract
    if paper.authors:
        item["author"] = [csl_name(a) for a in paper.authors]
    if paper.doi:
        item["DOI"] = paper.doi
    if paper.arxiv:
        item["number"] = f"arXiv:{paper.arxiv}"
        item["archive"] = "arXiv"
        item["archive_location"] = arxiv_url(paper.arxiv)
    if paper.tags:
        item["keyword"] = ", ".join(paper.tags)
    return item


def catalog_csl(catalog: Catalog) -> str:
    """Every paper, by id, as one CSL-JSON array."""
    items = [paper_item(p, catalog.venue_ids.get(p.venue)) for p in sorted(catalog.papers, key=lambda p: p.id)]
    return json.dumps(items, ensure_ascii=False) + "\n"
