"""The validated catalog: every record, where each came from, and the lookups every feature uses.

A Catalog is built once by :mod:`ai4radiology.catalog.loader` and never changes afterwards, so its
indexes are computed on first use and kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ai4radiology.catalog.models import (
    Category,
    Dataset,
    Family,
    Metrics,
    Modalities,
    Modality,
    Paper,
    Record,
    Review,
    Task,
    Tasks,
    Taxonomy,
    Topic,
    Venue,
    Venues,
)
from ai4radiology.catalog.problems import Location, display_path
from ai4radiology.catalog.yamlsource import YamlDocument, YamlSourceError, load_yaml

RawRecord = dict[Any, Any]
"""A record's YAML mapping as read, kept when the schema rejects it."""

FieldPath = str | tuple[str | int, ...]


@dataclass(frozen=True)
class Source:
    """The file a record was read from, with the position of each of its values."""

    path: Path
    document: YamlDocument | None = None
    """None for a record read in a worker process: its positions are read again on first use (few are)."""

    reread: list[YamlDocument] = field(default_factory=list, compare=False, repr=False)

    def position(self, keys: tuple[str | int, ...]) -> tuple[int, int]:
        if self.document is not None:
            return self.document.locate(keys)
        if not self.reread:
            try:
                self.reread.append(load_yaml(self.path))
            except (OSError, YamlSourceError):  # changed since it was read: its start is the best we can say
                self.reread.append(YamlDocument(data=None))
        return self.reread[0].locate(keys)


def empty_taxonomy() -> Taxonomy:
    """Stands in for a taxonomy.yaml that is missing or invalid (its problems are reported)."""
    return Taxonomy.model_construct(families=[])


def empty_modalities() -> Modalities:
    return Modalities.model_construct(modalities=[])


@dataclass(frozen=True, eq=False)
class Catalog:
    root: Path
    taxonomy: Taxonomy
    modalities: Modalities
    review: Review | None = None
    papers: tuple[Paper, ...] = ()
    """Sorted by id, like datasets and topics."""
    datasets: tuple[Dataset, ...] = ()
    topics: tuple[Topic, ...] = ()
    taxonomy_2026: Taxonomy | None = None
    venues: Venues | None = None
    tasks: Tasks | None = None
    metrics: Metrics | None = None
    rejected: tuple[tuple[type[Record], RawRecord], ...] = field(default=(), repr=False)
    """Raw data of records the schema rejected: still checked for cross-references."""
    sources: Mapping[int, Source] = field(default_factory=dict, repr=False)
    """By id() of a record (or of a rejected record's raw data)."""

    # --- where records come from -------------------------------------------------
    def source_path(self, record: Record | RawRecord) -> str:
        return display_path(self.sources[id(record)].path)

    def locate(self, record: Record | RawRecord, field_path: FieldPath = ()) -> Location:
        """File, line and column of a record's field ('references.0.title' or a tuple of parts)."""
        source = self.sources[id(record)]
        parts = tuple(field_path.split(".")) if isinstance(field_path, str) and field_path else tuple(field_path)
        keys = tuple(int(p) if isinstance(p, str) and p.isdigit() else p for p in parts)
        line, column = source.position(keys)
        return Location(display_path(source.path), line, column)

    # --- lookups, built on first use ------------------------------------------------
    @property
    def families(self) -> list[Family]:
        return self.taxonomy.families

    @cached_property
    def categories(self) -> Mapping[str, Category]:
        return MappingProxyType({c.id: c for f in self.taxonomy.families for c in f.categories})

    @cached_property
    def _family_of_category(self) -> Mapping[str, Family]:
        return MappingProxyType({c.id: f for f in self.taxonomy.families for c in f.categories})

    def family_of(self, category_id: str) -> Family:
        return self._family_of_category[category_id]

    @cached_property
    def categories_2026(self) -> Mapping[str, Category]:
        families = self.taxonomy_2026.families if self.taxonomy_2026 else []
        return MappingProxyType({c.id: c for f in families for c in f.categories})

    @cached_property
    def _family_2026_of_category(self) -> Mapping[str, Family]:
        families = self.taxonomy_2026.families if self.taxonomy_2026 else []
        return MappingProxyType({c.id: f for f in families for c in f.categories})

    def family_2026_of(self, category_id: str) -> Family:
        return self._family_2026_of_category[category_id]

    @cached_property
    def venue_ids(self) -> Mapping[str, Venue]:
        return MappingProxyType({v.id: v for v in self.venues.venues} if self.venues else {})

    @cached_property
    def task_ids(self) -> Mapping[str, Task]:
        return MappingProxyType({t.id: t for t in self.tasks.tasks} if self.tasks else {})

    @cached_property
    def modality_ids(self) -> Mapping[str, Modality]:
        return MappingProxyType({m.id: m for m in self.modalities.modalities})

    @cached_property
    def dataset_ids(self) -> Mapping[str, Dataset]:
        return MappingProxyType({d.id: d for d in self.datasets})

    @cached_property
    def paper_ids(self) -> Mapping[str, Paper]:
        return MappingProxyType({p.id: p for p in self.papers})

    @cached_property
    def _papers_by_dataset(self) -> Mapping[str, tuple[Paper, ...]]:
        using: dict[str, list[Paper]] = {}
        for paper in self.papers:
            for dataset_id in dict.fromkeys(paper.datasets):
                using.setdefault(dataset_id, []).append(paper)
        return MappingProxyType({dataset_id: tuple(papers) for dataset_id, papers in using.items()})

    def papers_using(self, dataset_id: str) -> list[Paper]:
        """Derived, never stored: a dataset's papers are those that list it."""
        return list(self._papers_by_dataset.get(dataset_id, ()))
