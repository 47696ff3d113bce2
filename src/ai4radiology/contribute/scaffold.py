"""New records for contributors: commented YAML whose TODOs validation reports until they are filled,
and a look at the catalog for records that are probably the same paper.

Field explanations come from the models' descriptions and the catalog's vocabularies, so scaffolds,
CONTRIBUTING.md's field reference and validation hints say the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ai4radiology.catalog.catalog import Catalog, RawRecord
from ai4radiology.catalog.fields import field_kind, is_list
from ai4radiology.catalog.kinds import RecordKind
from ai4radiology.catalog.models import TODO_MARK, Paper, Record
from ai4radiology.catalog.paperfacts import PaperFacts
from ai4radiology.catalog.sametext import NearTitles, fingerprint
from ai4radiology.catalog.slugs import slugify, unique_slug
from ai4radiology.catalog.urls import normalize_url
from ai4radiology.catalog.writer import dump_yaml, schema_comment
from ai4radiology.formats.bibtex import title_word


@dataclass(frozen=True)
class Vocabulary:
    """The values some fields must take, as the catalog defines them."""

    choices: dict[str, list[str]]

    @classmethod
    def of(cls, catalog: Catalog) -> Vocabulary:
        return cls(
            {
                "representation": list(catalog.categories),
                "modalities": list(catalog.modality_ids),
                "taxonomy_2026": list(catalog.categories_2026),
                "venue": list(catalog.venue_ids),
                "tasks": list(catalog.task_ids),
            }
        )


# --- describing fields -------------------------------------------------------------------------------


def field_hint(model: type[Record], name: str, vocabulary: Vocabulary | None = None) -> str:
    """The field's description, with the allowed values where the catalog defines them."""
    field = model.model_fields[name]
    hint = field.description.rstrip(".") if field.description else field_kind(field)
    choices = vocabulary.choices.get(name) if vocabulary else None
    if choices:
        return f"{hint}: {', '.join(choices)}"
    return f"{hint}." if field.description else hint


# --- scaffolds ---------------------------------------------------------------------------------------

# Optional only so that a paper known by its DOI alone can be stored; a contributor fills them in.
TODO_WHEN_NEW = frozenset({"title"})


def scaffold(
    kind: RecordKind[Any],
    values: dict[str, Any],
    vocabulary: Vocabulary,
    how: str,
    suggestions: Mapping[str, list[str]] | None = None,
) -> str:
    """A record file: known `values` as YAML, each other required field a TODO with its hint,
    optional fields empty with theirs. `how` names the command, for the header comment.
    `suggestions` are written as `[TODO CT]`: validation fails until the contributor confirms them."""
    lines = [
        schema_comment(kind).rstrip("\n"),
        f"# Scaffolded by `{how}`: replace every TODO, then run `ai4radiology validate`.",
    ]
    for name, field in kind.model.model_fields.items():
        hint = field_hint(kind.model, name, vocabulary)
        suggested = (suggestions or {}).get(name)
        if suggested and values.get(name) is None:
            marked = ", ".join(f"{TODO_MARK} {value}" for value in suggested)
            lines.append(f"{name}: [{marked}]  # {SUGGESTED_NOTE} {hint}")
        elif values.get(name) is not None:
            lines.append(dump_yaml({name: values[name]}).rstrip("\n"))
        elif field.is_required() or name in TODO_WHEN_NEW:
            placeholder = f"[{TODO_MARK}]" if is_list(field) else TODO_MARK
            lines.append(f"{name}: {placeholder}  # {hint}")
        elif isinstance(field.default, str):  # an optional field with a meaningful default shows it
            lines.append(f"{name}: {field.default}  # optional: {hint}")
        else:
            empty = "[]" if is_list(field) else "null"
            lines.append(f"{name}: {empty}  # optional: {hint}")
    return "\n".join(lines) + "\n"


SUGGESTED_NOTE = "suggested by keywords: delete 'TODO' to confirm a value, drop the others."


def paper_values(entry: PaperFacts, paper_id: str, today: dt.date) -> dict[str, Any]:
    """The fields of a paper record a .bib entry or a service's answer fills; the rest stay TODO."""
    return {
        "id": paper_id,
        "name": method_name(entry),
        "title": entry.title,
        "authors": list(entry.authors) or None,
        "venue": entry.venue,
        "year": entry.year,
        "abstract": entry.abstract,
        "paper": entry.paper_url,
        "doi": entry.doi,
        "arxiv": entry.arxiv,
        "added": today,
    }


def method_name(entry: PaperFacts) -> str | None:
    """'NeRP' for 'NeRP: Implicit neural ...', otherwise 'Family et al.' as the catalog names unnamed methods."""
    if entry.title and ":" in entry.title:
        prefix = entry.title.split(":", 1)[0].strip()
        if prefix and len(prefix.split()) <= 2 and len(prefix) <= 30:
            return prefix
    return f"{entry.first_author_family} et al." if entry.first_author_family else None


def paper_id(entry: PaperFacts, taken: set[str]) -> str:
    """First author's family name, year and first meaningful title word: 'yang-2025-explicit'."""
    parts = [slugify(entry.first_author_family or ""), str(entry.year or ""), title_word(entry.title or "")]
    candidate = "-".join(part for part in parts if part)[:60].strip("-") or "paper"
    return unique_slug(candidate, taken)


def taken_ids(catalog: Catalog, kind: RecordKind[Any]) -> set[str]:
    """Ids of a kind with a folder in use: valid records, and file names of records that do not validate yet."""
    directory = Path(catalog.root) / kind.attribute
    files = {path.stem for path in directory.glob("*.yaml")} if directory.is_dir() else set()
    return files | {record.id for record in getattr(catalog, kind.attribute)}


# --- duplicates --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """What makes two paper records the same paper."""

    source: str
    doi: str | None
    arxiv: str | None
    url: str | None
    title: str

    @classmethod
    def of(cls, source: str, data: dict[Any, Any]) -> Identity:
        def text(key: str) -> str | None:
            value = data.get(key)
            return value.strip() if isinstance(value, str) and value.strip() else None

        doi, arxiv, url = text("doi"), text("arxiv"), text("paper")
        return cls(
            source,
            doi.lower() if doi else None,
            arxiv.split("v")[0] if arxiv else None,
            normalize_url(url) if url and not url.upper().startswith(TODO_MARK) else None,
            fingerprint(text("title") or ""),
        )

    def links(self) -> list[tuple[str, str]]:
        """(label, value) of the identity links this record has."""
        found = (("DOI", self.doi), ("arXiv id", self.arxiv), ("paper link", self.url))
        return [(label, value) for label, value in found if value]


@dataclass(frozen=True)
class Match:
    record: Identity
    reason: str
    certain: bool
    """Same DOI, arXiv id, link or title: surely the same paper. A near title may be another version."""


def catalog_identities(catalog: Catalog) -> list[Identity]:
    """Papers of the catalog, including records the schema rejects (say, scaffolds with TODOs left)."""
    records: list[tuple[Record | RawRecord, dict[Any, Any]]] = [(paper, paper.model_dump()) for paper in catalog.papers]
    records += [(data, data) for model, data in catalog.rejected if model is Paper]
    return [Identity.of(catalog.source_path(record), data) for record, data in records]


class KnownPapers:
    """The papers a new entry is checked against, indexed: one lookup per entry, not one comparison per
    paper (1,000 entries against a large catalog stay fast)."""

    def __init__(self, identities: list[Identity]):
        self._by_link: dict[tuple[str, str], Identity] = {}
        self._titles = NearTitles()
        self._by_title: list[Identity] = []
        for identity in identities:
            self.add(identity)

    def add(self, identity: Identity) -> None:
        for link in identity.links():
            self._by_link.setdefault(link, identity)
        self._titles.add(identity.title)
        self._by_title.append(identity)

    def find(self, candidate: Identity) -> Match | None:
        """The known record that is the same paper: same link or title (certain), else a near title."""
        for label, value in candidate.links():
            if (label, value) in self._by_link:
                return Match(self._by_link[(label, value)], f"same {label}", certain=True)
        if not candidate.title:
            return None
        for index in self._titles.similar(candidate.title):
            other = self._by_title[index]
            if other.title == candidate.title:
                return Match(other, "same title", certain=True)
            return Match(other, "nearly the same title", certain=False)
        return None
