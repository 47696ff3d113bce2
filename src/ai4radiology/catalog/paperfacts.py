"""What a source says about a paper, before it becomes a record: a .bib entry (formats.bibtex) or the
answer of arXiv or Crossref (contribute.services). Both are turned into records by contribute.scaffold."""

from __future__ import annotations

from dataclasses import dataclass

from ai4radiology.catalog.models import arxiv_url, doi_url


@dataclass(frozen=True, kw_only=True)
class PaperFacts:
    """Decoded to plain Unicode text; None (or no authors) where the source says nothing."""

    title: str | None
    authors: tuple[str, ...]
    """In publication order, 'Family, Given' where the source separates the parts."""
    first_author_family: str | None
    venue: str | None
    year: int | None
    doi: str | None
    arxiv: str | None
    url: str | None
    abstract: str | None = None

    @property
    def paper_url(self) -> str | None:
        """The link a record's `paper` gets: the source's URL, else the DOI's or the arXiv id's."""
        if self.url:
            return self.url
        if self.doi:
            return doi_url(self.doi)
        return arxiv_url(self.arxiv) if self.arxiv else None
