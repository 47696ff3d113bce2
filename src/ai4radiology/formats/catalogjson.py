"""The whole validated catalog as JSON, with a JSON Schema, for programmatic use of the published site."""

from __future__ import annotations

import json

from ai4radiology.catalog.loader import Catalog
from ai4radiology.formats.jsonschema import schema_texts

CATALOG_SCHEMA = "catalog.schema.json"


def catalog_data(catalog: Catalog) -> dict:
    """Every record, as validated, in the catalog's own order (papers, datasets and topics by id)."""

    def dump(record):
        return record.model_dump(mode="json")

    return {
        "review": dump(catalog.review) if catalog.review else None,
        "taxonomy": dump(catalog.taxonomy),
        "taxonomy_2026": dump(catalog.taxonomy_2026) if catalog.taxonomy_2026 else None,
        "modalities": dump(catalog.modalities),
        "venues": dump(catalog.venues) if catalog.venues else None,
        "tasks": dump(catalog.tasks) if catalog.tasks else None,
        "metrics": dump(catalog.metrics) if catalog.metrics else None,
        "papers": [dump(p) for p in catalog.papers],
        "datasets": [dump(d) for d in catalog.datasets],
        "topics": [dump(t) for t in catalog.topics],
    }


def catalog_json(catalog: Catalog) -> str:
    return json.dumps(catalog_data(catalog), ensure_ascii=False, separators=(",", ":")) + "\n"


def catalog_schema_text() -> str:
    """Schema of catalog.json; each record refers to its record schema published next to it."""

    def ref(kind: str) -> dict:
        return {"$ref": f"{kind}.schema.json"}

    def optional(kind: str) -> dict:
        return {"anyOf": [ref(kind), {"type": "null"}]}

    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ai4radiology catalog",
        "type": "object",
        "required": [
            "review",
            "taxonomy",
            "taxonomy_2026",
            "modalities",
            "venues",
            "tasks",
            "metrics",
            "papers",
            "datasets",
            "topics",
        ],
        "additionalProperties": False,
        "properties": {
            "review": {"anyOf": [ref("review"), {"type": "null"}]},
            "taxonomy": ref("taxonomy"),
            "taxonomy_2026": optional("taxonomy"),
            "modalities": ref("modalities"),
            "venues": optional("venues"),
            "tasks": optional("tasks"),
            "metrics": optional("metrics"),
            "papers": {"type": "array", "items": ref("paper")},
            "datasets": {"type": "array", "items": ref("dataset")},
            "topics": {"type": "array", "items": ref("topic")},
        },
    }
    return json.dumps(schema, indent=2) + "\n"


def published_schemas() -> dict[str, str]:
    """File name -> text: the record schemas and the catalog.json schema that ties them together."""
    return {**schema_texts(), CATALOG_SCHEMA: catalog_schema_text()}
