"""The catalog's papers as CSL-JSON (Citation Style Language): what Zotero, Pandoc and citeproc read."""

from __future__ import annotations

import json

from ai4radiology.catalog.loader import Catalog
from ai4radiology.catalog.models import Paper, arxiv_url
from ai4radiology.formats.bibtex import entry_type

# BibTeX entry type -> CSL item type; bibtex.entry_type decides what a venue is.
_CSL_TYPES = {"article": "article-journal", "inproceedings": "paper-conference", "misc": "article"}


def csl_name(author: str) -> dict[str, str]:
    """'Family, Given' as the catalog writes authors -> a CSL name; anything else stays literal."""
    family, comma, given = author.partition(",")
    if comma and family.strip() and given.strip():
        return {"family": family.strip(), "given": given.strip()}
    return {"literal": author}


def paper_item(paper: Paper) -> dict[str, object]:
    item: dict[str, object] = {
        "id": paper.id,
        "type": _CSL_TYPES[entry_type(paper.venue)[0]],
        "title": paper.title,
        "container-title": paper.venue,
        "issued": {"date-parts": [[paper.year]]},
        "URL": paper.paper,
        "abstract": paper.abstract,
    }
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
    items = [paper_item(p) for p in sorted(catalog.papers, key=lambda p: p.id)]
    return json.dumps(items, ensure_ascii=False) + "\n"
