"""The kinds of record: for each, its model, where its files live and its name in schemas and commands.

The loader, the JSON Schema export, the scaffolds and CONTRIBUTING's field reference all read this
table, so a new kind of record is registered here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from ai4radiology.catalog.models import (
    Dataset,
    Metrics,
    Modalities,
    Paper,
    Record,
    Review,
    Tasks,
    Taxonomy,
    Topic,
    Venues,
)

R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class RecordKind(Generic[R]):
    name: str
    """'paper': the schema is schemas/paper.schema.json, the scaffold command `ai4radiology new paper`."""
    model: type[R]
    folder: str | None = None
    """'papers' for one file per record (catalog/papers/<id>.yaml); None for the single file <name>.yaml."""
    stem: str | None = None
    """The single file's name when it differs from `name`: taxonomy-2026.yaml holds a taxonomy."""
    optional: bool = False
    """A catalog may lack this single file; the checks that need it are then skipped."""

    @property
    def file_stem(self) -> str:
        return self.stem or self.name

    @property
    def attribute(self) -> str:
        """The Catalog attribute holding these records: the folder's name, or the single file's."""
        return self.folder or self.file_stem.replace("-", "_")

    @property
    def schema_file(self) -> str:
        return f"{self.name}.schema.json"

    @property
    def depth(self) -> int:
        """Folders between the catalog's parent and a file of this kind (for relative schema links)."""
        return 2 if self.folder else 1

    def path(self, root: Path, record_id: str | None = None) -> Path:
        """The file of a record: root/papers/<record_id>.yaml, or root/taxonomy.yaml for a single file."""
        if self.folder is None:
            return root / f"{self.file_stem}.yaml"
        if record_id is None:
            raise ValueError(f"a {self.name} record's file is named by its id")
        return root / self.folder / f"{record_id}.yaml"

    def pattern(self, root: str = "catalog") -> str:
        """Where such files live, for people: 'catalog/papers/<id>.yaml'."""
        return f"{root}/{self.folder}/<id>.yaml" if self.folder else f"{root}/{self.file_stem}.yaml"


PAPER = RecordKind("paper", Paper, "papers")
DATASET = RecordKind("dataset", Dataset, "datasets")
TOPIC = RecordKind("topic", Topic, "topics")
REVIEW = RecordKind("review", Review)
TAXONOMY = RecordKind("taxonomy", Taxonomy)
MODALITIES = RecordKind("modalities", Modalities)
# Vocabularies of the 2026 edition: a catalog without one skips the checks that need it.
TAXONOMY_2026 = RecordKind("taxonomy", Taxonomy, stem="taxonomy-2026", optional=True)
VENUES = RecordKind("venues", Venues, optional=True)
TASKS = RecordKind("tasks", Tasks, optional=True)
METRICS = RecordKind("metrics", Metrics, optional=True)

KINDS: tuple[RecordKind[Any], ...] = (
    PAPER,
    DATASET,
    TOPIC,
    REVIEW,
    TAXONOMY,
    TAXONOMY_2026,
    MODALITIES,
    VENUES,
    TASKS,
    METRICS,
)
COLLECTIONS = tuple(kind for kind in KINDS if kind.folder)
"""Kinds with one file per record: pull requests adding records never touch the same file."""
SINGLETONS = tuple(kind for kind in KINDS if not kind.folder)


def kind_of(model: type[Record]) -> RecordKind[Any]:
    """The kind whose records are `model`s; ValueError for nested models such as Reference."""
    for kind in KINDS:
        if kind.model is model:
            return kind
    raise ValueError(f"{model.__name__} is not a kind of catalog file")
