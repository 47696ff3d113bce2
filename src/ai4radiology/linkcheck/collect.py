"""The URLs to check, each with the places it is written, so a report can point at the line to fix."""

from __future__ import annotations

import subprocess
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..catalog.models import Dataset, Paper, Record, Topic
from ..catalog.urls import record_urls
from .model import CATEGORIES, Link, LinkOrigin, merge_links  # noqa: F401 - CATEGORIES kept importable here
from .urlfile import read_url_file  # noqa: F401 - kept importable from here

if TYPE_CHECKING:
    from ..catalog.catalog import Catalog

# Fields of a paper and the category `--only` selects them by; DOIs and arXiv ids are stored bare.
PAPER_FIELDS = {"paper": "paper", "doi": "paper", "arxiv": "paper", "project": "paper", "code": "code"}
REVIEW_FIELDS = {"url": "paper", "arxiv": "paper", "repository": "code"}


class GitDiffError(Exception):
    """`git diff` could not tell which files changed."""


def collect_links(
    catalog: Catalog, only: Collection[str] | None = None, changed: Collection[Path] | None = None
) -> list[Link]:
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
    for record in [*catalog.papers, *catalog.datasets, *catalog.topics, *([catalog.review] if catalog.review else [])]:
        for found in record_urls(record):
            yield record, found.field, _category(record, found.field), found.url


def _category(record: Record, field: str) -> str:
    """What `--only` selects a link by: its record kind, and for papers and the review, the field."""
    if isinstance(record, Dataset):
        return "dataset"
    if isinstance(record, Topic):
        return "reference"
    fields = PAPER_FIELDS if isinstance(record, Paper) else REVIEW_FIELDS
    return fields.get(field, "reference")


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
