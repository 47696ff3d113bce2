"""The catalog's papers as RIS, the tagged format reference managers (EndNote, Zotero, Mendeley) import."""

from __future__ import annotations

import rispy  # type: ignore[import-untyped]

from ai4radiology.catalog.catalog import Catalog
from ai4radiology.catalog.models import Paper, Venue
from ai4radiology.formats.bibtex import entry_type

# BibTeX entry type -> RIS reference type; bibtex.entry_type decides what a venue is.
_RIS_TYPES = {"article": "JOUR", "inproceedings": "CPAPER", "misc": "UNPB"}


def _line(text: str) -> str:
    """RIS is line-based: a value must stay on its one line."""
    return " ".join(text.split())


def paper_entry(paper: Paper, venue: Venue | None = None) -> dict[str, object]:
    """`venue` is the paper's entry of the venues vocabulary: it gives the reference type and the full name."""
    entry: dict[str, object] = {
        "type_of_reference": _RIS_TYPES[entry_type(paper.venue, venue.kind if venue else None)[0]],
        "id": paper.id,
        "secondary_title": _line(venue.name if venue else paper.venue),
        "year": str(paper.year),
        "urls": [paper.paper],
    }
    if paper.title:
        entry["title"] = _line(paper.title)
    if paper.abstract:
        entry["abstract"] = _line(paper.abstract)
    if paper.authors:
        entry["authors"] = [_line(a) for a in paper.authors]
    if paper.doi:
        entry["doi"] = paper.doi
    if paper.tags:
        entry["keywords"] = list(paper.tags)
    return entry


def catalog_ris(catalog: Catalog) -> str:
    """Every paper, by id, as one RIS file."""
    text: str = rispy.dumps(
        [paper_entry(p, catalog.venue_ids.get(p.venue)) for p in sorted(catalog.papers, key=lambda p: p.id)]
    )
    return text
