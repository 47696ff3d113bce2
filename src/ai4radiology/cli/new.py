"""`ai4radiology new paper|dataset`: a commented record to fill in, for contributors without a .bib entry."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import click

from ai4radiology.catalog.kinds import DATASET, PAPER, RecordKind
from ai4radiology.catalog.loader import load_catalog
from ai4radiology.catalog.messages import SLUG_MESSAGE
from ai4radiology.catalog.models import SLUG_PATTERN
from ai4radiology.catalog.writer import FileExistsRefusal, write_atomic
from ai4radiology.cli.options import catalog_option
from ai4radiology.contribute.scaffold import Vocabulary, scaffold


@click.group()
def new() -> None:
    """Scaffold a new record with every field to fill marked TODO."""


def _record_id(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not re.fullmatch(SLUG_PATTERN, value):
        message, hint = SLUG_MESSAGE
        raise click.BadParameter(f"{message.format(input=value)}: {hint}")
    return value


id_option = click.option(
    "--id",
    "record_id",
    required=True,
    callback=_record_id,
    help="The record's id, also its file name, e.g. my-net (lowercase, digits, hyphens).",
)


# A new dataset is not in the review's table, so whatever tasks its contributor lists are the catalog's.
NEW_RECORD_VALUES: dict[str, dict[str, Any]] = {DATASET.name: {"tasks_source": "catalog"}}


def _write_scaffold(catalog_dir: Path, kind: RecordKind[Any], record_id: str) -> None:
    if not catalog_dir.is_dir():
        raise click.ClickException(
            f"catalog directory '{catalog_dir}' not found: run from the repository root or pass --catalog DIR"
        )
    catalog = load_catalog(catalog_dir).catalog  # vocabularies only; other records may be mid-edit
    values = {"id": record_id, "added": dt.date.today(), **NEW_RECORD_VALUES.get(kind.name, {})}
    text = scaffold(kind, values, Vocabulary.of(catalog), f"ai4radiology new {kind.name}")
    path = kind.path(catalog_dir, record_id)
    try:
        write_atomic(path, text, overwrite=False)
    except FileExistsRefusal:
        raise click.ClickException(f"{path.as_posix()} already exists; edit it, or choose another --id") from None
    click.echo(f"wrote {path.as_posix()}: replace every TODO, then run `ai4radiology validate`")


@new.command()
@catalog_option
@id_option
def paper(catalog_dir: Path, record_id: str) -> None:
    """Scaffold catalog/papers/ID.yaml (from a .bib entry, `ai4radiology add --bibtex` fills more)."""
    _write_scaffold(catalog_dir, PAPER, record_id)


@new.command()
@catalog_option
@id_option
def dataset(catalog_dir: Path, record_id: str) -> None:
    """Scaffold catalog/datasets/ID.yaml."""
    _write_scaffold(catalog_dir, DATASET, record_id)
