"""JSON Schema of each record type, exported for editors (yaml-language-server) and for catalog.json users."""

from __future__ import annotations

import json
from pathlib import Path

from ai4radiology.catalog.kinds import KINDS
from ai4radiology.catalog.writer import write_atomic


def schema_texts() -> dict[str, str]:
    """File name -> JSON text, one per record type."""
    texts = {}
    for kind in KINDS:
        schema = kind.model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        texts[kind.schema_file] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return texts


def stale_schemas(directory: Path) -> list[str]:
    """Names of schema files that are missing or differ from the models."""
    return [
        name
        for name, text in schema_texts().items()
        if not (directory / name).is_file() or (directory / name).read_text(encoding="utf-8") != text
    ]


def write_schemas(directory: Path) -> list[str]:
    changed = stale_schemas(directory)
    texts = schema_texts()
    for name in changed:
        write_atomic(directory / name, texts[name])
    return changed
