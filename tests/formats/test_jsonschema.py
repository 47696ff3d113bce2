"""The committed JSON Schemas match the models, and every record file points its editor at the right one."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from ai4radiology.catalog.kinds import KINDS
from ai4radiology.formats.jsonschema import schema_texts, stale_schemas

REPO = Path(__file__).resolve().parents[2]
CATALOG = REPO / "catalog"
KIND_OF_FOLDER = {kind.folder: kind.name for kind in KINDS if kind.folder}
KIND_OF_FILE = {kind.file_stem: kind.name for kind in KINDS if not kind.folder}


def test_committed_schemas_are_current():
    assert stale_schemas(REPO / "schemas") == []


def test_schema_check_notices_a_stale_file(tmp_path):
    for name, text in schema_texts().items():
        (tmp_path / name).write_text(text)
    (tmp_path / "paper.schema.json").write_text("{}")
    assert stale_schemas(tmp_path) == ["paper.schema.json"]


def record_files() -> list[Path]:
    """The files the loader reads as records (catalog/ also holds tool data such as keywords.yaml)."""
    singles = sorted(kind.path(CATALOG) for kind in KINDS if kind.folder is None)
    return singles + sorted(path for kind in KINDS if kind.folder for path in (CATALOG / kind.folder).glob("*.yaml"))


@pytest.mark.parametrize("path", record_files(), ids=lambda p: str(p.relative_to(CATALOG)))
def test_record_declares_its_schema_and_conforms(path):
    kind = KIND_OF_FOLDER.get(path.parent.name, KIND_OF_FILE.get(path.stem, path.stem))
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first_line.startswith(prefix)
    schema_path = (path.parent / first_line.removeprefix(prefix)).resolve()
    assert schema_path == (REPO / "schemas" / f"{kind}.schema.json").resolve()
    # Editors validate with the JSON Schema alone: it must accept what the validator accepts.
    data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
    jsonschema.validate(data, json.loads(schema_path.read_text()))
