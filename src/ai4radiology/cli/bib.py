"""`ai4radiology export bibtex` and `ai4radiology add --bibtex`: the catalog to BibTeX, and BibTeX to new records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TextIO

import click

from ai4radiology.catalog.loader import load_catalog
from ai4radiology.catalog.models import Paper
from ai4radiology.catalog.writer import FileExistsRefusal, write_atomic
from ai4radiology.cli.options import catalog_option, load_valid_catalog
from ai4radiology.contribute.scaffold import (
    Identity,
    KnownPapers,
    Vocabulary,
    catalog_identities,
    paper_id,
    paper_values,
    scaffold,
    taken_ids,
)
from ai4radiology.formats.bibtex import BibtexError, catalog_bibtex, parse_entries
from ai4radiology.render.views import counts


@click.group()
def export() -> None:
    """Write the catalog in other formats."""


@export.command("bibtex")
@catalog_option
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("catalog.bib"),
    show_default=True,
    help="File to write (replaced atomically).",
)
def export_bibtex(catalog_dir: Path, output: Path) -> None:
    """Write one BibTeX entry per paper (keyed by its id) and per topic reference."""
    catalog = load_valid_catalog(catalog_dir)
    write_atomic(output, catalog_bibtex(catalog))
    total = counts(catalog)
    click.echo(f"wrote {total.papers + total.references} entries to {output.as_posix()}")


@click.command()
@catalog_option
@click.option(
    "--bibtex",
    "bib_file",
    type=click.File("r", encoding="utf-8"),
    required=True,
    help="A .bib file with one or more entries; - reads standard input.",
)
def add(catalog_dir: Path, bib_file: TextIO) -> None:
    """Scaffold paper records from BibTeX entries.

    Title, authors, venue, year, DOI, arXiv id, link and abstract are taken from
    each entry (LaTeX turned into plain text); the fields BibTeX cannot know
    (modalities, representation, contribution, code) are left as TODOs that
    `ai4radiology validate` reports until they are filled. Existing files are
    never overwritten. An entry that is surely in the catalog already (same DOI,
    arXiv id, link or title) is skipped; one with a nearly identical title is
    written with a warning.
    """
    if not catalog_dir.is_dir():
        raise click.ClickException(
            f"catalog directory '{catalog_dir}' not found: run from the repository root or pass --catalog DIR"
        )
    source = "standard input" if bib_file.name == "<stdin>" else bib_file.name
    try:
        entries = parse_entries(bib_file.read())
    except BibtexError as exc:
        raise click.ClickException(f"cannot read {source}:\n{exc}") from None
    except UnicodeDecodeError:
        raise click.ClickException(f"cannot read {source}: not UTF-8 text") from None

    # Records may be mid-edit: only ids and duplicates matter, so the cross-record rules are skipped.
    catalog = load_catalog(catalog_dir, cross_checks=False).catalog
    vocabulary, taken = Vocabulary.of(catalog), taken_ids(catalog, "papers")
    known = KnownPapers(catalog_identities(catalog))
    today, written = dt.date.today(), 0
    for entry in entries:
        record_id = paper_id(entry, taken)
        values = paper_values(entry, record_id, today)
        path = catalog_dir / "papers" / f"{record_id}.yaml"
        identity = Identity.of(path.as_posix(), values)
        duplicate = known.find(identity)
        if duplicate and duplicate.certain:
            click.echo(
                f"warning: skipped @{entry.key} (line {entry.line}): {duplicate.reason} as {duplicate.record.source}",
                err=True,
            )
            continue
        try:
            write_atomic(path, scaffold(Paper, "paper", values, vocabulary, "ai4radiology add"), overwrite=False)
        except FileExistsRefusal:
            raise click.ClickException(f"{path.as_posix()} appeared while writing; not overwriting it") from None
        taken.add(record_id)
        known.add(identity)
        written += 1
        click.echo(f"wrote {path.as_posix()} from @{entry.key}")
        if duplicate:
            click.echo(
                f"warning: {path.as_posix()} has {duplicate.reason} as {duplicate.record.source}: "
                "delete it if it is the same paper",
                err=True,
            )
    if written:
        click.echo(f"{written} record(s) scaffolded: replace every TODO, then run `ai4radiology validate`")
