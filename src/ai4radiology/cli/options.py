"""Options and error handling shared by the commands."""

from __future__ import annotations

from pathlib import Path

import click

from ai4radiology.catalog.catalog import Catalog
from ai4radiology.catalog.loader import CatalogInvalid, load_catalog
from ai4radiology.catalog.problems import format_text

catalog_option = click.option(
    "--catalog",
    "catalog_dir",
    type=click.Path(path_type=Path),
    default=Path("catalog"),
    show_default=True,
    help="Folder holding the catalog's YAML records.",
)


def load_valid_catalog(catalog_dir: Path) -> Catalog:
    """The validated catalog, or exit 1 with the validator's report (never a traceback)."""
    result = load_catalog(catalog_dir)
    try:
        return result.require_valid()
    except CatalogInvalid as exc:
        click.echo(format_text(exc.problems, result.files_checked), err=True)
        raise click.ClickException("the catalog is not valid; fix the errors above (ai4radiology validate)") from None
