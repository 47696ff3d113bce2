"""What a paper page shows beyond the record: related papers, citation meta tags, where its YAML lives."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ai4radiology.catalog.catalog import Catalog
from ai4radiology.catalog.models import CLASSIFICATION_SOURCES, Paper, Venue
from ai4radiology.catalog.urls import record_urls
from ai4radiology.formats.bibtex import entry_type
from ai4radiology.website.explorer import newest_first

RELATED_SHOWN = 5


class RelatedPapers:
    """Papers that share a representation category and a modality with a given one, newest first.

    Papers are bucketed by (category, modality) once, so finding the related papers of every
    paper costs a few buckets' heads each rather than a scan of the catalog.
    """

    def __init__(self, catalog: Catalog, shown: int = RELATED_SHOWN):
        self.shown = shown
        self.rank = {p.id: i for i, p in enumerate(newest_first(catalog.papers))}
        self.buckets: dict[tuple[str, str], list[Paper]] = defaultdict(list)
        for paper in newest_first(catalog.papers):
            for category in paper.representation:
                for modality in paper.modalities:
                    self.buckets[(category, modality)].append(paper)

    def of(self, paper: Paper) -> list[Paper]:
        found: dict[str, Paper] = {}
        for category in paper.representation:
            for modality in paper.modalities:
                heads = (p for p in self.buckets[(category, modality)] if p.id != paper.id)
                for other, _ in zip(heads, range(self.shown), strict=False):
                    found[other.id] = other
        return sorted(found.values(), key=lambda p: self.rank[p.id])[: self.shown]


def citation_meta(paper: Paper, venue: Venue | None = None) -> dict[str, list[str]]:
    """Highwire Press `citation_*` tags, which Google Scholar and Zotero read from a page's head.
    `venue` is the paper's entry of the venues vocabulary: its kind and full name, when known."""
    kind = entry_type(paper.venue, venue.kind if venue else None)[0]
    venue_tag = {"article": "citation_journal_title", "inproceedings": "citation_conference_title"}.get(kind)
    meta: dict[str, list[str]] = {
        "citation_title": [paper.title] if paper.title else [],
        "citation_author": list(paper.authors),
        "citation_publication_date": [str(paper.year)],
    }
    if venue_tag:
        meta[venue_tag] = [venue.name if venue else paper.venue]
    if paper.doi:
        meta["citation_doi"] = [paper.doi]
    if paper.arxiv:
        meta["citation_arxiv_id"] = [paper.arxiv]
    if paper.paper.lower().endswith(".pdf"):
        meta["citation_pdf_url"] = [paper.paper]
    return {name: values for name, values in meta.items() if values}


def record_file(paper: Paper) -> str:
    """The paper's YAML file, relative to the catalog folder (the target of 'Edit this record')."""
    return f"papers/{paper.id}.yaml"


@dataclass(frozen=True)
class PaperLink:
    label: str
    url: str


def paper_links(paper: Paper) -> list[PaperLink]:
    """The outgoing links of a paper page, in reading order; DOI and arXiv ids become their resolver URLs."""
    labels = {
        "paper": "Paper",
        "code": "Code",
        "doi": f"DOI {paper.doi}",
        "arxiv": f"arXiv {paper.arxiv}",
        "project": "Project page",
    }
    return [PaperLink(labels[link.field], link.url) for link in record_urls(paper)]


@dataclass(frozen=True)
class ClassificationLine:
    scheme: str
    category: str
    source: str
    note: str | None


def classification_lines(catalog: Catalog, paper: Paper) -> list[ClassificationLine]:
    """Where a paper is filed in each scheme, and who filed it there (the review's edition or the catalog)."""
    lines = [
        ClassificationLine(
            "2025 scheme",
            ", ".join(catalog.categories[c].label for c in paper.representation),
            CLASSIFICATION_SOURCES[paper.representation_source],
            paper.representation_note,
        )
    ]
    if paper.taxonomy_2026 and paper.taxonomy_2026.category in catalog.categories_2026:
        category = catalog.categories_2026[paper.taxonomy_2026.category]
        lines.append(
            ClassificationLine(
                "2026 scheme",
                f"{category.label} ({catalog.family_2026_of(category.id).label})",
                CLASSIFICATION_SOURCES[paper.taxonomy_2026.source],
                paper.taxonomy_2026.note,
            )
        )
    return lines


# Characters YAML does not allow in a document, escaped or not (control characters, surrogates).
