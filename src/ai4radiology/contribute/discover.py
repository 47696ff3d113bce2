"""New candidate papers: recent arXiv preprints that match the search terms in catalog/discover.yaml and that
the catalog does not hold yet, ranked by how many terms they match, as a Markdown report."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ai4radiology.catalog.sametext import fingerprint
from ai4radiology.contribute.scaffold import Identity
from ai4radiology.contribute.services import Arxiv, Metadata
from ai4radiology.render import escape

TERMS_FILE = "discover.yaml"
GROUPS = ("methods", "modalities", "tasks")
PAGE = 100
TITLE_WEIGHT = 2  # a term in the title says more about the paper than one in the abstract


class TermsError(Exception):
    """catalog/discover.yaml is missing or malformed; the message names the file."""


@dataclass(frozen=True)
class SearchTerms:
    """Every group that has terms must match (one term of it at least); `categories` limit the arXiv archives."""

    methods: tuple[str, ...]
    modalities: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    max_results: int = 300

    @classmethod
    def load(cls, catalog_dir: Path) -> SearchTerms:
        path = catalog_dir / TERMS_FILE
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise TermsError(f"{path.as_posix()} not found: it holds the search terms for discover") from None
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise TermsError(f"cannot read {path.as_posix()}: {exc}") from None
        if not isinstance(data, dict) or set(data) - {*GROUPS, "categories", "max_results"}:
            raise TermsError(f"{path.as_posix()}: expected the keys {', '.join(GROUPS)}, categories, max_results")
        lists = {}
        for key in (*GROUPS, "categories"):
            value = data.get(key) or []
            if not isinstance(value, list) or not all(isinstance(t, str) and _words(t) for t in value):
                raise TermsError(f"{path.as_posix()}: {key}: expected a list of terms (letters and digits)")
            lists[key] = tuple(value)
        maximum = data.get("max_results", 300)
        if not lists["methods"] or not isinstance(maximum, int) or not 1 <= maximum <= 2000:
            raise TermsError(f"{path.as_posix()}: needs at least one method term and max_results from 1 to 2000")
        return cls(**lists, max_results=maximum)

    def query(self, since: dt.date, until: dt.date) -> str:
        """arXiv search syntax: (term OR term) AND (...) AND submittedDate:[from TO to]."""
        clauses = []
        for group in GROUPS:
            terms = getattr(self, group)
            if terms:
                either = [f'{part}:"{_words(term)}"' for term in terms for part in ("ti", "abs")]
                clauses.append("(" + " OR ".join(either) + ")")
        if self.categories:
            clauses.append("(" + " OR ".join(f"cat:{_words(c, keep='.-')}" for c in self.categories) + ")")
        clauses.append(f"submittedDate:[{since:%Y%m%d}0000 TO {until:%Y%m%d}2359]")
        return " AND ".join(clauses)


def _words(term: str, keep: str = "-") -> str:
    """A term reduced to what arXiv's query syntax can carry: letters, digits, spaces and `keep`."""
    return " ".join(re.findall(rf"[\w{re.escape(keep)}]+", term)).strip()


@dataclass(frozen=True)
class Candidate:
    paper: Metadata
    score: int
    matched: tuple[str, ...]


@dataclass
class Discovery:
    since: dt.date
    found: int = 0
    held: int = 0
    candidates: list[Candidate] = field(default_factory=list)


def discover(
    arxiv: Arxiv,
    terms: SearchTerms,
    since: dt.date,
    until: dt.date,
    known: list[Identity],
    advance: Callable[[], None] = lambda: None,
) -> Discovery:
    """Search arXiv page by page (the client keeps arXiv's pace), drop what the catalog holds, rank the rest."""
    query, papers, start = terms.query(since, until), [], 0
    while start < terms.max_results:
        total, page = arxiv.search(query, start, min(PAGE, terms.max_results - start))
        papers.extend(page)
        advance()
        start += PAGE
        if not page or start >= total:
            break
    result = Discovery(since, found=len(papers))
    held_arxiv = {identity.arxiv for identity in known if identity.arxiv}
    held_doi = {identity.doi for identity in known if identity.doi}
    held_titles = {identity.title for identity in known if identity.title}
    seen: set[str] = set()
    for paper in papers:
        if paper.arxiv in held_arxiv or paper.preprint_of in held_doi or fingerprint(paper.title or "") in held_titles:
            result.held += 1
        elif paper.arxiv and paper.arxiv not in seen:
            seen.add(paper.arxiv)
            result.candidates.append(rank(paper, terms))
    result.candidates.sort(key=lambda c: (-c.score, -(int((c.paper.date or "0").replace("-", "")))))
    return result


def rank(paper: Metadata, terms: SearchTerms) -> Candidate:
    title, abstract = fingerprint(paper.title or ""), fingerprint(paper.abstract or "")
    score, matched = 0, []
    for term in (t for group in GROUPS for t in getattr(terms, group)):
        pattern = re.compile(rf"(?<!\w){re.escape(fingerprint(term))}(?!\w)")
        hits = TITLE_WEIGHT * bool(pattern.search(title)) + bool(pattern.search(abstract))
        if hits:
            score += hits
            matched.append(term)
    return Candidate(paper, score, tuple(matched))


SHOWN = 100  # an issue body holds 65,536 characters: about 200 rows


def report(result: Discovery, until: dt.date, shown: int = SHOWN) -> str:
    """The Markdown report of the `shown` best candidates; every text from arXiv is escaped, ids are
    checked arXiv ids."""
    lines = [
        "# Candidate papers",
        "",
        f"arXiv preprints submitted from {result.since:%Y-%m-%d} to {until:%Y-%m-%d} that match the search terms "
        f"in `catalog/discover.yaml`: {len(result.candidates)} new, {result.held} already in the catalog. "
        "Ranked by the terms they match (a term in the title counts double). Add one with its command, "
        "then fill in its TODOs.",
        "",
    ]
    if not result.candidates:
        return "\n".join([*lines, "No new candidates.", ""])
    lines += ["| Rank | Paper | Submitted | Matched terms | Add it |", "| --- | --- | --- | --- | --- |"]
    for number, candidate in enumerate(result.candidates[:shown], 1):
        paper = candidate.paper
        lines.append(
            f"| {number} | {escape.link(paper.title or paper.arxiv, paper.url)} | {escape.cell(paper.date or '')} | "
            f"{escape.cell(', '.join(candidate.matched))} | `ai4radiology add arxiv:{paper.arxiv}` |"
        )
    if len(result.candidates) > shown:
        lines += ["", f"{len(result.candidates) - shown} more with fewer matching terms are not shown."]
    return "\n".join([*lines, ""])
