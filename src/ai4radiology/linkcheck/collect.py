"""The URLs to check, each with the places it is written, so a report can point at the line to fix."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Collection, Iterator

from ..catalog.models import Record, arxiv_url, doi_url
from .model import CATEGORIES, Link, LinkOrigin, merge_links  # noqa: F401 - CATEGORIES kept importable here
from .urlfile import read_url_file  # noqa: F401 - kept importable from here

if TYPE_CHECKING:
    from ..catalog.loader import Catalog

# Fields of a paper and the category `--only` selects them by; DOIs and arXiv ids are stored bare.
PAPER_FIELDS = {"paper": "paper", "doi": "paper", "arxiv": "paper", "project": "paper", "code": "code"}
REVIEW_FIELDS = {"url": "paper", "arxiv": "paper", "repository": "code"}
BARE_IDS = {"doi": doi_url, "arxiv": arxiv_url}


class GitDiffError(Exception):
    """`git diff` could not tell which files changed."""


def collect_links(catalog: Catalog, only: Collection[str] | None = None,
                  changed: Collection[Path] | None = None) -> list[Link]:
    """The catalog's URLs in the categories `only` (all when None), from the files `changed` (all when None)."""
    changed = {Path(p).resolve() for p in changed} if changed is not None else None
    links = []
    for record, field, category, url in _catalog_urls(catalog):
        if only is not None and category not in only:
            continue
        if changed is not None and Path(catalog.source_path(record)).resolve() not in changed:
            continue
        where = catalog.locate(record, field)
        origin = LinkOrigin(where.path, where.line, where.column, _record_id(record), field)
        links.append(Link(url, (origin,)))
    return merge_links(links)


def _catalog_urls(catalog: Catalog) -> Iterator[tuple[Record, str, str, str]]:
    """(record, field path, category, URL) for every link in the catalog."""
    for paper in catalog.papers:
        for field, category in PAPER_FIELDS.items():
            if value := getattr(paper, field):
                yield paper, field, category, BARE_IDS.get(field, str)(value)
    for dataset in catalog.datasets:
        yield dataset, "url", "dataset", dataset.url
    for topic in catalog.topics:
        for index, reference in enumerate(topic.references):
            for field in ("url", "code"):
                if value := getattr(reference, field):
                    yield topic, f"references.{index}.{field}", "reference", value
    if review := catalog.review:
        for field, category in REVIEW_FIELDS.items():
            yield review, field, category, BARE_IDS.get(field, str)(getattr(review, field))
        for index, author in enumerate(review.authors):
            if author.url:
                yield review, f"authors.{index}.url", "reference", author.url


def _record_id(record: Record) -> str:
    return getattr(record, "id", None) or type(record).__name__.lower()


def changed_files(ref: str, catalog_root: Path) -> set[Path]:
    """Files under `catalog_root` that differ from the git revision `ref`, as resolved paths."""
    if ref.startswith("-"):
        raise GitDiffError(f"not a git revision: {ref!r}")
    command = ["git", "-C", str(catalog_root), "diff", "--name-only", "-z", "--relative", ref, "--", "."]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitDiffError(f"cannot run git: {exc}") from None
    if done.returncode != 0:
        raise GitDiffError(f"git diff against {ref!r} failed: {done.stderr.strip() or done.returncode}")
    return {(Path(catalog_root) / name).resolve() for name in done.stdout.split("\0") if name}
