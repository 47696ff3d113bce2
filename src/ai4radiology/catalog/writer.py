"""Writing files safely: atomic replacement and the canonical YAML form of a record."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:  # the link checker writes files without loading the models (pydantic)
    from ai4radiology.catalog.kinds import RecordKind
    from ai4radiology.catalog.models import Record


SCHEMA_DIR = "schemas"


class FileExistsRefusal(Exception):
    """Raised instead of overwriting a file the caller did not ask to replace."""


class WriteFailed(Exception):
    """A file could not be written (disk full, read-only folder...); the old file, if any, is intact.

    The command line reports it as one line and exits with status 2.
    """

    def __init__(self, path: Path | str, error: OSError):
        super().__init__(f"cannot write {Path(path).as_posix()}: {error.strerror or error}")
        self.path = Path(path)


def write_atomic(path: Path, text: str, *, overwrite: bool = True, durable: bool = True) -> None:
    """Write `text` to `path` via a temporary file and rename, so readers never see half a file.

    With ``overwrite=False`` an existing file is left untouched and FileExistsRefusal is raised;
    the final link is made with os.link so the check and the write are one step.
    ``durable=False`` skips the fsync: still atomic for readers, for files that are regenerated anyway.
    Raises WriteFailed when the disk or the folder refuses the write.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise WriteFailed(path, exc) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise FileExistsRefusal(f"{path} already exists; not overwriting it") from None
    except OSError as exc:
        raise WriteFailed(path, exc) from None
    finally:
        tmp.unlink(missing_ok=True)


class _BlockStyleDumper(yaml.SafeDumper):
    """Long text as folded blocks, short text plain: diffs of one sentence stay one line."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if len(value) > 80:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=">")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_BlockStyleDumper.add_representer(str, _str_representer)


def schema_comment(kind: RecordKind[Any]) -> str:
    """The yaml-language-server header pointing editors at the record's JSON Schema."""
    return f"# yaml-language-server: $schema={'../' * kind.depth}{SCHEMA_DIR}/{kind.schema_file}\n"


def dump_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(
        data, Dumper=_BlockStyleDumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )


def record_to_yaml(record: Record) -> str:
    """Canonical text of one record file: schema header, fields in model order, no nulls for optional extras."""
    data = record.model_dump(exclude_defaults=True)
    # `code: null` says "no public code" and must stay visible; other unset optionals are omitted.
    for name, field in type(record).model_fields.items():
        if field.is_required() and name not in data:
            data[name] = getattr(record, name)
    ordered = {name: data[name] for name in type(record).model_fields if name in data}
    from ai4radiology.catalog.kinds import kind_of

    return schema_comment(kind_of(type(record))) + dump_yaml(ordered)
