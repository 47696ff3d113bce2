"""The whole validated catalog as JSON, with a JSON Schema, for programmatic use of the published site."""

from __future__ import annotations

import json
from typing import Any

from ai4radiology.catalog.catalog import Catalog
from ai4radiology.catalog.kinds import COLLECTIONS, REVIEW, SINGLETONS, RecordKind
from ai4radiology.catalog.models import Record
from ai4radiology.formats.jsonschema import schema_texts

CATALOG_SCHEMA = "catalog.schema.json"


# The single files first, then the collections: one key per kind of record, named as Catalog names it.
KINDS_IN_JSON = (*SINGLETONS, *COLLECTIONS)


def catalog_data(catalog: Catalog) -> dict[str, Any]:
    """Every record, as validated, in the catalog's own order (papers, datasets and topics by id)."""

    def dump(record: Record | None) -> dict[str, Any] | None:
        return record.model_dump(mode="json") if record is not None else None

    data: dict[str, Any] = {}
    for kind in KINDS_IN_JSON:
        records = getattr(catalog, kind.attribute)
        data[kind.attribute] = [dump(r) for r in records] if kind.folder else dump(records)
    return data


def catalog_json(catalog: Catalog) -> str:
    return json.dumps(catalog_data(catalog), ensure_ascii=False, separators=(",", ":")) + "\n"


def catalog_schema_text() -> str:
    """Schema of catalog.json; each record refers to its record schema published next to it."""

    def value_schema(kind: RecordKind[Any]) -> dict[str, Any]:
        ref = {"$ref": kind.schema_file}
        if kind.folder:
            return {"type": "array", "items": ref}
        return {"anyOf": [ref, {"type": "null"}]} if kind is REVIEW or kind.optional else ref  # may be missing

    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ai4radiology catalog",
        "type": "object",
        "required": [kind.attribute for kind in KINDS_IN_JSON],
        "additionalProperties": False,
        "properties": {kind.attribute: value_schema(kind) for kind in KINDS_IN_JSON},
    }
    return json.dumps(schema, indent=2) + "\n"


def published_schemas() -> dict[str, str]:
    """File name -> text: the record schemas and the catalog.json schema that ties them together."""
    return {**schema_texts(), CATALOG_SCHEMA: catalog_schema_text()}
