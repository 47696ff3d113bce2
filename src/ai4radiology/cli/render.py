"""`ai4radiology render`: the generated sections of README.md and CONTRIBUTING.md."""

from __future__ import annotations

from pathlib import Path

import click

from ai4radiology.catalog.writer import write_atomic
from ai4radiology.cli.options import catalog_option, load_valid_catalog, path_option
from ai4radiology.render.documents import RenderError, render_files


@click.command()
@catalog_option
@path_option("--templates", "templates_dir", default="templates", help="Folder holding the Jinja templates.")
@path_option("--readme", default="README.md", kind="file", help="README whose catalog section is regenerated.")
@path_option(
    "--contributing",
    default="CONTRIBUTING.md",
    kind="file",
    help="CONTRIBUTING guide whose field reference is regenerated.",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 with a unified diff if a file is stale (for CI).")
def render(catalog_dir: Path, templates_dir: Path, readme: Path, contributing: Path, check: bool) -> None:
    """Regenerate the catalog section of README.md and the field reference of CONTRIBUTING.md.

    Only the text between the markers (<!-- catalog:start --> ... <!-- catalog:end --> in the
    README, <!-- fields:start --> ... <!-- fields:end --> in CONTRIBUTING) is replaced;
    hand-written text around them is kept. Files are replaced atomically.
    """
    catalog = load_valid_catalog(catalog_dir)
    try:
        files = render_files(catalog, templates_dir, readme, contributing)
    except RenderError as exc:
        raise click.ClickException(str(exc)) from None
    stale = [file for file in files if file.stale]
    if check:
        for file in stale:
            click.echo(file.diff(), nl=False)
        if stale:
            names = " and ".join(file.path.as_posix() for file in stale)
            verb = "is" if len(stale) == 1 else "are"
            raise click.ClickException(
                f"{names} {verb} out of date with the catalog; run `ai4radiology render` and commit the result"
            )
        click.echo("README and CONTRIBUTING are up to date")
        return
    for file in stale:
        write_atomic(file.path, file.rendered)
        click.echo(f"updated {file.path.as_posix()}")
    if not stale:
        click.echo("README and CONTRIBUTING are up to date")
