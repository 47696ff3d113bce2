"""`ai4radiology validate` and `ai4radiology schemas`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ai4radiology.catalog.annotations import format_github
from ai4radiology.catalog.loader import cycle_collector_paused, load_catalog
from ai4radiology.catalog.problems import Severity, format_json, format_text
from ai4radiology.cli.options import catalog_option
from ai4radiology.formats.jsonschema import stale_schemas, write_schemas

FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}


@click.command()
@catalog_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(FORMATTERS)),
    default="text",
    show_default=True,
    help="json for machines; github prints workflow commands that annotate the YAML lines in a pull request.",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
def validate(catalog_dir: Path, output_format: str, strict: bool) -> None:
    """Check every record: types, cross-references and data quality.

    Problems are printed as PATH:LINE:COLUMN: SEVERITY: FIELD: MESSAGE, all of
    them in one run. Exit status: 0 when there are no errors (warnings are
    listed), 1 when there are errors, or warnings with --strict.
    """
    with cycle_collector_paused():  # and while the report is made: it would rescan the catalog (0.3 s at 10k)
        result = load_catalog(catalog_dir)
        click.echo(FORMATTERS[output_format](result.problems, result.files_checked))
    failing = [p for p in result.problems if strict or p.severity is Severity.ERROR]
    sys.exit(1 if failing else 0)


@click.command()
@click.option("--dir", "directory", type=click.Path(path_type=Path), default=Path("schemas"), show_default=True)
@click.option("--check", is_flag=True, help="Exit 1 if the committed schemas differ from the models.")
def schemas(directory: Path, check: bool) -> None:
    """Export the JSON Schema of every record type (editors use them to autocomplete YAML)."""
    if check:
        stale = stale_schemas(directory)
        if stale:
            raise click.ClickException(f"stale schema(s): {', '.join(stale)}; run `ai4radiology schemas`")
        click.echo("schemas are up to date")
        return
    changed = write_schemas(directory)
    click.echo(f"wrote {len(changed)} schema file(s) to {directory}" if changed else "schemas are up to date")
