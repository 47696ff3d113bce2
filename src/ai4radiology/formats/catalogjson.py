"""The whole validated catalog as JSON, with a JSON Schema, for programmatic use of the published site."""

from __future__ import annotations

import json
from typing import Any

from ai4radiology.catalog.catalog import Catalog
from ai4radiology.catalog.models import Record
from ai4radiology.formats.jsonschema import schema_texts

CATALOG_SCHEMA = "catalog.schema.json"


def catalog_data(catalog: Catalog) -> dict[str, Any]:
    """Every record, as validated, in the catalog's own order (papers, datasets and topics by id)."""

    def dump(record: Record) -> dict[str, Any]:
        return record.model_dump(mode="json")

    return {
        "review": dump(catalog.review) if catalog.review else None,
        "taxonomy": dump(catalog.taxonomy),
        "modalities": dump(catalog.modalities),
        "papers": [dump(p) for p in catalog.papers],
        "datasets": [dump(d) for d in catalog.datasets],
        "topics": [dump(t) for t in catalog.topics],
    }


def catalog_json(catalog: Catalog) -> str:
    return json.dumps(catalog_data(catalog), ensure_ascii=False, separators=(",", ":")) + "\n"


def catalog_schema_text() -> str:
    """Schema of catalog.json; each record refers to its record schema published next to it."""

    def ref(kind: str) -> dict[str, str]:
        return {"$ref": f"{kind}.schema.json"}

    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ai4radiology catalog",
        "type": "object",
        "required": ["review", "taxonomy", "modalities", "papers", "datasets", "topics"],
        "additionalProperties": False,
        "properties": {
            "review": {"anyOf": [ref("review"), {"type": "null"}]},
            "taxonomy": ref("taxonomy"),
            "modalities": ref("modalities"),
            "papers": {"type": "array", "items": ref("paper")},
            "datasets": {"type": "array", "items": ref("dataset")},
            "topics": {"type": "array", "items": ref("topic")},
        },
    }
    return json.dumps(schema, indent=2) + "\n"


def published_schemas() -> dict[str, str]:
    """File name -> text: the record schemas and the catalog.json schema that ties them together."""
    return {**schema_texts(), CATALOG_SCHEMA: catalog_schema_text()}
