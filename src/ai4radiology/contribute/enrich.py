"""Filling in what existing paper records lack (authors, DOI, arXiv id, the venue of a preprint since
published) from arXiv and Crossref, as edits to the record's YAML text that keep every other line as is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from ai4radiology.catalog.catalog import Catalog
from ai4radiology.catalog.models import Paper
from ai4radiology.catalog.writer import dump_yaml
from ai4radiology.contribute.identifiers import Identifier
from ai4radiology.contribute.lookup import Services, catalog_venue, look_up
from ai4radiology.contribute.services import PREPRINT_VENUE, Metadata, join

FIELDS = ("authors", "doi", "arxiv", "venue")
_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):")


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


def lacks(paper: Paper, field: str) -> bool:
    """Empty, or (for the venue) still the preprint server although the paper may be published by now."""
    value = getattr(paper, field)
    return value == PREPRINT_VENUE if field == "venue" else not value


def wanted(paper: Paper, fields: tuple[str, ...], force: bool) -> list[str]:
    return [field for field in fields if force or lacks(paper, field)]


def find(paper: Paper, fields: list[str], found: Services) -> Metadata | None:
    """What the services know of `paper`: by its DOI or arXiv id, else by its exact title."""
    metadata = None
    if paper.doi or paper.arxiv:
        identifier = Identifier("doi", paper.doi.lower()) if paper.doi else Identifier("arxiv", str(paper.arxiv))
        metadata = look_up(identifier, found)
    if paper.title is None:  # a paper known by its identifier alone cannot be found by title
        return metadata
    if "arxiv" in fields and not (metadata and metadata.arxiv):
        preprint = found.arxiv.find_title(paper.title)
        if preprint:
            published = metadata or (found.crossref.work(preprint.preprint_of) if preprint.preprint_of else None)
            metadata = join(preprint, published)
    if ("doi" in fields or "venue" in fields) and not (metadata and metadata.doi):
        published = found.crossref.find_title(paper.title)
        if published:
            metadata = join(metadata, published)
    return metadata


def changes(paper: Paper, metadata: Metadata, fields: list[str], catalog: Catalog) -> list[Change]:
    """The fields whose found value differs from the record's; `fields` says which may change."""
    proposed = {
        "authors": list(metadata.authors) or None,
        "doi": metadata.doi,
        "arxiv": metadata.arxiv,
        "venue": catalog_venue(metadata.venue, catalog) if metadata.venue != PREPRINT_VENUE else None,
    }
    found = []
    for field in fields:
        old, new = getattr(paper, field), proposed[field]
        if new and new != old and not (field == "doi" and str(old).lower() == new):
            found.append(Change(field, old, new))
    return found


def apply(text: str, edits: list[Change]) -> str:
    """`text` with each changed field's lines replaced (or added in model order); other lines untouched."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    for change in edits:
        replacement = dump_yaml({change.field: change.new}).splitlines(keepends=True)
        span = _field_span(lines, change.field)
        if span:
            lines[span[0] : span[1]] = replacement
        else:
            at = _insertion_point(lines, change.field)
            lines[at:at] = replacement
    result = "".join(lines)
    data = yaml.safe_load(result)
    for change in edits:  # a record whose layout defeats the line edit is reported, never written wrong
        if not isinstance(data, dict) or data.get(change.field) != change.new:
            raise ValueError(f"cannot edit '{change.field}' in place")
    return result


def _field_span(lines: list[str], field: str) -> tuple[int, int] | None:
    """Lines of a top-level field: its key line and the indented or `- ` lines that follow."""
    for start, line in enumerate(lines):
        match = _TOP_LEVEL_KEY.match(line)
        if match and match.group(1) == field:
            end = start + 1
            while end < len(lines) and not _TOP_LEVEL_KEY.match(lines[end]) and not lines[end].startswith("#"):
                end += 1
            while end > start + 1 and not lines[end - 1].strip():
                end -= 1  # blank lines belong to no field
            return start, end
    return None


def _insertion_point(lines: list[str], field: str) -> int:
    """After the nearest earlier field of the model present in the file; at the end otherwise."""
    order = list(Paper.model_fields)
    for earlier in reversed(order[: order.index(field)]):
        span = _field_span(lines, earlier)
        if span:
            return span[1]
    return len(lines)
