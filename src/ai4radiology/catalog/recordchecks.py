"""Rules on what each record says about itself: complete citations, sound links, known vocabulary terms.

The vocabularies of the 2026 edition (venues, tasks, the 2026 taxonomy) are optional files: a catalog
without one skips the rules that need it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

from ai4radiology.catalog.catalog import Catalog
from ai4radiology.catalog.models import Dataset, Paper, Record, Topic
from ai4radiology.catalog.problems import Problem, Severity, did_you_mean

_CLOSING = {")": "(", "]": "["}
_DOI_HOSTS = {"doi.org", "dx.doi.org", "www.doi.org"}
_ARXIV_HOSTS = {"arxiv.org", "www.arxiv.org", "export.arxiv.org"}
_ARXIV_PATH = re.compile(r"^/(?:abs|pdf)/(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?/?$")
_VERSION = re.compile(r"v\d+$")


def check_records(catalog: Catalog) -> Iterator[Problem]:
    rules = (check_citation_data, check_url_brackets, check_identifier_urls, check_vocabulary_terms)
    for rule in rules:
        yield from rule(catalog)


def _problem(
    catalog: Catalog, record: Record, field: str, message: str, hint: str | None, severity: Severity, rule: str
) -> Problem:
    return Problem(catalog.locate(record, field), field, message, hint, severity, rule)


# --- citations ---------------------------------------------------------------------------------------


def check_citation_data(catalog: Catalog) -> Iterator[Problem]:
    """A paper nobody can cite or find again: no authors, no DOI or arXiv id, no title, no 2026 class."""
    for paper in catalog.papers:
        if not paper.authors:
            yield _problem(
                catalog,
                paper,
                "id",
                "no authors",
                "add `authors:` in publication order, 'Family, Given'",
                Severity.WARNING,
                "missing-authors",
            )
        if not paper.doi and not paper.arxiv:
            yield _problem(
                catalog,
                paper,
                "id",
                "neither a DOI nor an arXiv id",
                "add `doi:` (bare, 10.xxxx/...) or `arxiv:` when the paper has one",
                Severity.WARNING,
                "missing-identifier",
            )
        if paper.title is None:
            yield _problem(
                catalog, paper, "id", "no title", "add the title as published", Severity.WARNING, "missing-title"
            )
        if catalog.taxonomy_2026 is not None and paper.taxonomy_2026 is None:
            yield _problem(
                catalog,
                paper,
                "representation",
                "not classified in the 2026 scheme",
                "add `taxonomy_2026: {category: <id from catalog/taxonomy-2026.yaml>, source: catalog}`",
                Severity.WARNING,
                "missing-classification",
            )


# --- links -------------------------------------------------------------------------------------------


def _urls(record: Record) -> Iterator[tuple[str, str]]:
    """(field path, URL) of every link a record holds."""
    if isinstance(record, Paper):
        for field in ("paper", "code", "project"):
            value = getattr(record, field)
            if value:
                yield field, value
    elif isinstance(record, Dataset):
        yield "url", record.url
    elif isinstance(record, Topic):
        for i, reference in enumerate(record.references):
            for field in ("url", "code"):
                value = getattr(reference, field)
                if value:
                    yield f"references.{i}.{field}", value


def unbalanced(url: str) -> bool:
    """True when brackets or parentheses do not pair up: a link cut short, or glued to Markdown."""
    stack: list[str] = []
    for char in url:
        if char in "([":
            stack.append(char)
        elif char in _CLOSING and (not stack or stack.pop() != _CLOSING[char]):
            return True
    return bool(stack)


def check_url_brackets(catalog: Catalog) -> Iterator[Problem]:
    for record in [*catalog.papers, *catalog.datasets, *catalog.topics]:
        for field, url in _urls(record):
            if unbalanced(url):
                yield _problem(
                    catalog,
                    record,
                    field,
                    f"unbalanced brackets or parentheses in URL '{url}'",
                    "the link was cut short or copied with Markdown around it: paste the whole address",
                    Severity.ERROR,
                    "unbalanced-url",
                )


def doi_in_url(url: str) -> str | None:
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in _DOI_HOSTS:
        return None
    doi = unquote(parts.path.lstrip("/"))
    return doi or None


def arxiv_in_url(url: str) -> str | None:
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in _ARXIV_HOSTS:
        return None
    match = _ARXIV_PATH.match(parts.path)
    return match.group(1) if match else None


def check_identifier_urls(catalog: Catalog) -> Iterator[Problem]:
    """A DOI or arXiv id that its own paper's doi.org / arxiv.org link contradicts: one of them is wrong."""
    for paper in catalog.papers:
        for field, url in _urls(paper):
            linked_doi = doi_in_url(url)
            if paper.doi and linked_doi and linked_doi.casefold() != paper.doi.casefold():
                yield _problem(
                    catalog,
                    paper,
                    "doi",
                    f"DOI {paper.doi} differs from the DOI {linked_doi} in `{field}`",
                    "one of them belongs to another paper: check both against the publisher's page",
                    Severity.ERROR,
                    "identifier-mismatch",
                )
            linked_arxiv = arxiv_in_url(url)
            if paper.arxiv and linked_arxiv and linked_arxiv != _VERSION.sub("", paper.arxiv):
                yield _problem(
                    catalog,
                    paper,
                    "arxiv",
                    f"arXiv id {paper.arxiv} differs from the arXiv id {linked_arxiv} in `{field}`",
                    "one of them belongs to another paper: check both on arxiv.org",
                    Severity.ERROR,
                    "identifier-mismatch",
                )


# --- vocabularies ------------------------------------------------------------------------------------


def check_vocabulary_terms(catalog: Catalog) -> Iterator[Problem]:
    """Venues, tasks and 2026 categories must come from their vocabulary files."""
    venues, tasks, categories = catalog.venue_ids, catalog.task_ids, catalog.categories_2026
    for paper in catalog.papers:
        if catalog.venues is not None and paper.venue not in venues:
            yield _problem(
                catalog,
                paper,
                "venue",
                f"unknown venue '{paper.venue}'",
                did_you_mean(paper.venue, venues) or "add it to catalog/venues.yaml with its full name and kind",
                Severity.ERROR,
                "known-venue",
            )
        classification = paper.taxonomy_2026
        if catalog.taxonomy_2026 is not None and classification and classification.category not in categories:
            yield _problem(
                catalog,
                paper,
                "taxonomy_2026.category",
                f"unknown 2026 category '{classification.category}'",
                did_you_mean(classification.category, categories),
                Severity.ERROR,
                "known-category",
            )
    if catalog.tasks is None:
        return
    for dataset in catalog.datasets:
        for i, task in enumerate(dataset.tasks):
            if task not in tasks:
                yield _problem(
                    catalog,
                    dataset,
                    f"tasks.{i}",
                    f"unknown task '{task}'",
                    did_you_mean(task, tasks) or "task ids are listed in catalog/tasks.yaml",
                    Severity.ERROR,
                    "known-task",
                )
