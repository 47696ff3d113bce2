"""The URLs a record holds, and when two URLs are the same page.

The site's paper pages, the duplicate-URL check and the link checker all list a record's links;
they list them from here, so a new URL field is added once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from ai4radiology.catalog.models import Dataset, Paper, Record, Review, Topic, arxiv_url, doi_url


@dataclass(frozen=True)
class RecordUrl:
    field: str
    """Path of the field holding it, e.g. 'code' or 'references.2.url' (what Catalog.locate takes)."""
    url: str
    """The address; a bare DOI or arXiv id becomes its resolver URL."""


def record_urls(record: Record) -> Iterator[RecordUrl]:
    """Every URL of a paper, dataset, topic or review, in reading order; other records hold none."""
    if isinstance(record, Paper):
        yield RecordUrl("paper", record.paper)
        if record.code:
            yield RecordUrl("code", record.code)
        if record.doi:
            yield RecordUrl("doi", doi_url(record.doi))
        if record.arxiv:
            yield RecordUrl("arxiv", arxiv_url(record.arxiv))
        if record.project:
            yield RecordUrl("project", record.project)
    elif isinstance(record, Dataset):
        yield RecordUrl("url", record.url)
    elif isinstance(record, Topic):
        for index, reference in enumerate(record.references):
            if reference.url:
                yield RecordUrl(f"references.{index}.url", reference.url)
            if reference.code:
                yield RecordUrl(f"references.{index}.code", reference.code)
    elif isinstance(record, Review):
        yield RecordUrl("url", record.url)
        yield RecordUrl("arxiv", arxiv_url(record.arxiv))
        yield RecordUrl("repository", record.repository)
        for index, author in enumerate(record.authors):
            if author.url:
                yield RecordUrl(f"authors.{index}.url", author.url)


def normalize_url(url: str) -> str:
    """The form two URLs share when they point at the same page (scheme, www., trailing slash, fragment aside)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    return urlunsplit(("https", host, parts.path.rstrip("/"), parts.query, ""))
