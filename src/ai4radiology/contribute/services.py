"""What arXiv (Atom, read with feedparser) and Crossref (JSON) say about a paper, as plain-text `Metadata`.

Server text is data: markup in titles and abstracts (Crossref's JATS, HTML entities) is reduced to plain
text and control characters are dropped before anything reaches a record.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

import feedparser  # type: ignore[import-untyped]  # no stubs published

from ai4radiology.catalog.models import arxiv_url, doi_url
from ai4radiology.catalog.paperfacts import PaperFacts
from ai4radiology.catalog.sametext import fingerprint
from ai4radiology.contribute.http import PoliteClient, ServiceError
from ai4radiology.contribute.identifiers import ARXIV_DOI, ARXIV_ID

PREPRINT_VENUE = "arXiv"
_WITHDRAWN = re.compile(r"\b(withdrawn|retracted)\b", re.IGNORECASE)
_WITHDRAWN_SUMMARY = re.compile(r"\s*this (paper|article|submission) has been withdrawn", re.IGNORECASE)
_RETRACTIONS = {"retraction", "withdrawal", "removal"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


class PaperNotFound(Exception):
    """The identifier is well-formed but names no usable paper (unknown, withdrawn, retracted)."""


@dataclass(frozen=True, kw_only=True)
class Metadata(PaperFacts):
    """A paper as arXiv or Crossref describes it."""

    preprint_of: str | None = None
    """For a preprint: the DOI of its published version, when the service knows it."""
    date: str | None = None
    """YYYY-MM-DD: first submission (arXiv) or publication (Crossref)."""


def plain(text: str | None) -> str | None:
    """Markup-free, single-spaced text without control characters; None when nothing is left."""
    if not text:
        return None
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    cleaned = " ".join(_CONTROL.sub("", "".join(parser.parts)).split())
    return cleaned or None


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.parts.append(" " if tag.split(":")[-1] in ("p", "title", "sec", "br") else "")


# --- arXiv -------------------------------------------------------------------------------------------


class Arxiv:
    """The arXiv API: GET /api/query?id_list=… or ?search_query=…, answered with an Atom feed."""

    def __init__(self, client: PoliteClient):
        self.client = client

    def entry(self, arxiv_id: str) -> Metadata:
        params = {"id_list": arxiv_id, "max_results": "1"}
        feed = self._query(params)
        entries = [entry for entry in feed.entries if entry.get("title")]
        if not entries:
            self.client.forget(self._url, params)
            raise PaperNotFound(f"arXiv has no paper {arxiv_id}")
        metadata = _arxiv_metadata(entries[0])
        if _withdrawn(entries[0]):
            raise PaperNotFound(f"arXiv:{arxiv_id} has been withdrawn by its authors")
        if metadata.arxiv != arxiv_id:
            raise ServiceError(f"arXiv answered with paper {metadata.arxiv} when asked for {arxiv_id}")
        return metadata

    def search(self, query: str, start: int, count: int) -> tuple[int, list[Metadata]]:
        """(total matches, one page of them), newest submissions first."""
        feed = self._query(
            {
                "search_query": query,
                "start": str(start),
                "max_results": str(count),
                "sortBy": "submittedDate",
                "sortOrder": "descending",
            }
        )
        total = feed.feed.get("opensearch_totalresults", "0")
        papers = [_arxiv_metadata(e) for e in feed.entries if e.get("title") and not _withdrawn(e)]
        return int(total) if str(total).isdigit() else len(papers), [p for p in papers if p.arxiv]

    def find_title(self, title: str) -> Metadata | None:
        """The preprint with exactly this title (compared as fingerprints), if arXiv has one."""
        phrase = " ".join(re.findall(r"[^\W_]+", title))  # arXiv's query syntax has no escaping: words only
        if not phrase:
            return None
        _, papers = self.search(f'ti:"{phrase}"', 0, 5)
        return next((paper for paper in papers if same_title(paper.title, title)), None)

    @property
    def _url(self) -> str:
        return f"{self.client.settings.arxiv_url}/api/query"

    def _query(self, params: dict[str, str]) -> Any:
        status, body = self.client.get("arXiv", self._url, params)
        feed = feedparser.parse(body.encode("utf-8"))  # bytes: feedparser never treats data as a URL or path
        error = next((e for e in feed.entries if "api/errors" in e.get("id", "") or e.get("title") == "Error"), None)
        if error is not None:
            raise PaperNotFound(f"arXiv refused the query: {plain(error.get('summary')) or 'no reason given'}")
        if status != 200:
            raise ServiceError(f"arXiv answered HTTP {status}")
        if not str(feed.get("version", "")).startswith("atom"):
            raise ServiceError("arXiv answered something that is not an Atom feed")
        return feed


def _arxiv_metadata(entry: Any) -> Metadata:
    match = re.search(r"/abs/([^/]+)$", entry.get("id", ""))
    id_match = ARXIV_ID.match(match.group(1)) if match else None
    arxiv_id = id_match.group(1) if id_match else None
    authors = tuple(name for author in entry.get("authors", []) if (name := plain(author.get("name"))))
    published = entry.get("published", "")
    doi = (entry.get("arxiv_doi") or "").strip().lower() or None
    return Metadata(
        title=plain(entry.get("title")),
        authors=authors,
        first_author_family=authors[0].split()[-1] if authors else None,
        venue=PREPRINT_VENUE,
        year=int(published[:4]) if re.match(r"\d{4}", published) else None,
        doi=None,
        arxiv=arxiv_id,
        url=arxiv_url(arxiv_id) if arxiv_id else None,
        abstract=plain(entry.get("summary")),
        preprint_of=doi if doi and not ARXIV_DOI.match(doi) else None,
        date=published[:10] if re.match(r"\d{4}-\d{2}-\d{2}", published) else None,
    )


def _withdrawn(entry: Any) -> bool:
    comment = entry.get("arxiv_comment") or ""
    summary = entry.get("summary") or ""
    return bool(_WITHDRAWN.search(comment) or _WITHDRAWN_SUMMARY.match(summary))


# --- Crossref ----------------------------------------------------------------------------------------


class Crossref:
    """Crossref's REST API: GET /works/{doi} answers {"status": "ok", "message-type": "work", "message": {…}}."""

    def __init__(self, client: PoliteClient):
        self.client = client

    def work(self, doi: str) -> Metadata:
        settings = self.client.settings
        params = {"mailto": settings.contact} if settings.contact else {}
        status, body = self.client.get("Crossref", f"{settings.crossref_url}/works/{quote(doi, safe='/:;()')}", params)
        if status == 404:
            raise PaperNotFound(f"Crossref knows no DOI {doi}")
        if status != 200:
            raise ServiceError(f"Crossref answered HTTP {status} for DOI {doi}")
        try:
            message = json.loads(body)["message"]
            titles = message["title"]
        except (ValueError, KeyError, TypeError):
            raise ServiceError(f"Crossref answered something that is not a work record for DOI {doi}") from None
        if not isinstance(message, dict) or not isinstance(titles, list):
            raise ServiceError(f"Crossref answered something that is not a work record for DOI {doi}")
        metadata = _crossref_metadata(message, doi)
        if _retracted(message) or _WITHDRAWN.match(metadata.title or ""):
            raise PaperNotFound(f"DOI {doi} has been retracted or withdrawn")
        return metadata

    def find_title(self, title: str) -> Metadata | None:
        """The published work with exactly this title (compared as fingerprints), if Crossref has one."""
        settings = self.client.settings
        params = {"query.bibliographic": title, "rows": "5"}
        if settings.contact:
            params["mailto"] = settings.contact
        status, body = self.client.get("Crossref", f"{settings.crossref_url}/works", params)
        if status != 200:
            raise ServiceError(f"Crossref answered HTTP {status} to a title search")
        try:
            items = json.loads(body)["message"]["items"]
        except (ValueError, KeyError, TypeError):
            raise ServiceError("Crossref answered something that is not a list of works") from None
        for item in _list(items):
            if not isinstance(item, dict) or not item.get("DOI") or _retracted(item):
                continue
            if same_title(plain(_first(item.get("title"))), title):
                return _crossref_metadata(item, str(item["DOI"]))
        return None


def same_title(found: str | None, wanted: str) -> bool:
    return bool(found) and fingerprint(found or "") == fingerprint(wanted)


def _crossref_metadata(message: dict[str, Any], asked: str) -> Metadata:
    authors, families = [], []
    for person in _list(message.get("author")):
        if not isinstance(person, dict):
            continue
        family, given = plain(person.get("family")), plain(person.get("given"))
        name = ", ".join(filter(None, [family, given])) or plain(person.get("name"))
        if name:
            authors.append(name)
            families.append(family or name)
    doi = str(message.get("DOI") or asked).lower()
    return Metadata(
        title=plain(_first(message.get("title"))),
        authors=tuple(authors),
        first_author_family=families[0] if families else None,
        venue=plain(_first(message.get("container-title"))) or plain(message.get("publisher")),
        year=_year(message),
        doi=doi,
        arxiv=_preprint_arxiv(message.get("relation")),
        url=doi_url(doi),
        abstract=plain(message.get("abstract")),
        date=_date(message),
    )


def _first(value: Any) -> str | None:
    items = _list(value)
    return str(items[0]) if items else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _date_parts(message: dict[str, Any]) -> list[int] | None:
    """The first of Crossref's dates that is there: [year, month?, day?]."""
    for key in ("published-print", "published-online", "issued", "published"):
        value = message.get(key)
        parts = value.get("date-parts") if isinstance(value, dict) else None
        try:
            first = [int(part) for part in parts[0]]  # type: ignore[index]
        except (TypeError, ValueError, IndexError, KeyError):
            continue
        if first:
            return first
    return None


def _year(message: dict[str, Any]) -> int | None:
    parts = _date_parts(message)
    return parts[0] if parts else None


def _date(message: dict[str, Any]) -> str | None:
    parts = _date_parts(message)
    return "-".join(f"{part:02d}" for part in parts) if parts and len(parts) == 3 else None


def _preprint_arxiv(relation: Any) -> str | None:
    """The arXiv id of the preprint, from Crossref's `relation.has-preprint` ({"id-type", "id"})."""
    if not isinstance(relation, dict):
        return None
    for related in _list(relation.get("has-preprint")):
        if not isinstance(related, dict):
            continue
        kind, value = str(related.get("id-type", "")).lower(), str(related.get("id", "")).strip()
        value = re.sub(r"^(https?://(dx\.)?doi\.org/|https?://arxiv\.org/abs/|arxiv:)", "", value, flags=re.I)
        match = ARXIV_DOI.match(value) if kind == "doi" else ARXIV_ID.match(value) if kind in ("arxiv", "uri") else None
        if match:
            return match.group(1)
    return None


def _retracted(message: dict[str, Any]) -> bool:
    updates = _list(message.get("updated-by")) + _list(message.get("update-to"))
    return any(isinstance(u, dict) and str(u.get("type", "")).lower() in _RETRACTIONS for u in updates)


def join(preprint: Metadata | None, published: Metadata | None) -> Metadata:
    """One record of a paper from its arXiv preprint and its published version: the published facts
    (title, venue, year, DOI, link) win; the preprint gives the arXiv id and, often, the better abstract."""
    if published is None:
        assert preprint is not None
        return preprint
    if preprint is None:
        return published
    return replace(
        published,
        authors=published.authors or preprint.authors,
        first_author_family=published.first_author_family or preprint.first_author_family,
        title=published.title or preprint.title,
        arxiv=preprint.arxiv,
        abstract=preprint.abstract or published.abstract,
    )
