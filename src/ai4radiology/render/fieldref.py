"""CONTRIBUTING's field reference: every record kind's fields, read from the models themselves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ai4radiology.catalog.catalog import Catalog
from ai4radiology.catalog.fields import field_kind, nested_models
from ai4radiology.catalog.kinds import COLLECTIONS
from ai4radiology.catalog.models import Record


@dataclass(frozen=True)
class FieldDoc:
    name: str
    required: bool
    kind: str
    meaning: str


@dataclass(frozen=True)
class RecordDoc:
    path: str
    """Where such records live, e.g. 'catalog/papers/<id>.yaml'; for a nested record, the field holding it."""
    model: str
    fields: list[FieldDoc]
    nested: list[RecordDoc]


def record_doc(path: str, model: type[Record]) -> RecordDoc:
    """A record type's fields from the model itself, so the reference cannot drift from validation."""
    fields = [
        FieldDoc(name, field.is_required(), field_kind(field), field.description or "")
        for name, field in model.model_fields.items()
    ]
    nested = [
        record_doc(name, arg)
        for name, field in model.model_fields.items()
        for arg in nested_models(field.rebuild_annotation())
    ]
    return RecordDoc(path, model.__name__, fields, nested)


def fields_context(catalog: Catalog) -> dict[str, Any]:
    return {
        "records": [record_doc(kind.pattern(), kind.model) for kind in COLLECTIONS],
        "families": catalog.taxonomy.families,
        "families_2026": catalog.taxonomy_2026.families if catalog.taxonomy_2026 else [],
        "venues": catalog.venues.venues if catalog.venues else [],
        "tasks": catalog.tasks.tasks if catalog.tasks else [],
        "modalities": catalog.modalities.modalities,
    }
