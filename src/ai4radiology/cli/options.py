"""Options and error handling shared by the commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

import click

from ai4radiology.catalog.catalog import Catalog
from ai4radiology.catalog.loader import CatalogInvalid, load_catalog
from ai4radiology.catalog.problems import format_text

F = TypeVar("F", bound=Callable[..., Any])


def path_option(
    *names: str, default: str, help: str, kind: Literal["file", "folder", "any"] = "any"
) -> Callable[[F], F]:
    """An option naming a file or folder, with its default shown in --help."""
    return click.option(
        *names,
        type=click.Path(path_type=Path, dir_okay=kind != "file", file_okay=kind != "folder"),
        default=Path(default),
        show_default=True,
        help=help,
    )


catalog_option = path_option(
    "--catalog", "catalog_dir", default="catalog", help="Folder holding the catalog's YAML records."
)


def load_valid_catalog(catalog_dir: Path) -> Catalog:
    """The validated catalog, or exit 1 with the validator's report (never a traceback)."""
    result = load_catalog(catalog_dir)
    try:
        return result.require_valid()
    except CatalogInvalid as exc:
        click.echo(format_text(exc.problems, result.files_checked), err=True)
        raise click.ClickException("the catalog is not valid; fix the errors above (ai4radiology validate)") from None
