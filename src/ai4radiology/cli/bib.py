"""`ai4radiology export bibtex` and `ai4radiology add --bibtex`: the catalog to BibTeX, and BibTeX to new records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from ai4radiology.catalog.kinds import PAPER
from ai4radiology.catalog.loader import load_catalog
from ai4radiology.catalog.writer import FileExistsRefusal, write_atomic
from ai4radiology.cli.options import catalog_option, load_valid_catalog, path_option
from ai4radiology.cli.services import service_options
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

if TYPE_CHECKING:
    from ai4radiology.contribute.http import Settings


@click.group()
def export() -> None:
    """Write the catalog in other formats."""


@export.command("bibtex")
@catalog_option
@path_option("--output", "-o", default="catalog.bib", kind="file", help="File to write (replaced atomically).")
def export_bibtex(catalog_dir: Path, output: Path) -> None:
    """Write one BibTeX entry per paper (keyed by its id) and per topic reference."""
    catalog = load_valid_catalog(catalog_dir)
    write_atomic(output, catalog_bibtex(catalog))
    total = counts(catalog)
    click.echo(f"wrote {total.papers + total.references} entries to {output.as_posix()}")


@click.command()
@catalog_option
@click.argument("identifiers", nargs=-1, metavar="[ID]...")
@click.option(
    "--bibtex",
    "bib_file",
    type=click.File("r", encoding="utf-8"),
    help="A .bib file with one or more entries; - reads standard input.",
)
@service_options
def add(catalog_dir: Path, identifiers: tuple[str, ...], bib_file: TextIO | None, settings: Settings) -> None:
    """Scaffold paper records from identifiers or BibTeX entries.

    ID is arxiv:2505.15235, doi:10.1109/TMI.2022.3217543 or an arxiv.org/abs or
    doi.org link; give several at once. arXiv and Crossref are asked for title,
    authors, venue, year, DOI, arXiv id, link and abstract, and a preprint is
    joined with its published version. Modalities and categories are suggested
    from catalog/keywords.yaml as `TODO CT`, so `ai4radiology validate` fails
    until you confirm them. A paper the catalog has (same DOI, arXiv id, link or
    a nearly identical title) is refused, naming the record (exit 1). An unknown,
    withdrawn or malformed id, or a service that fails, stops with one line and
    exit 2 before anything is written.

    With --bibtex, the fields are taken from each entry (LaTeX turned into plain
    text); an entry surely in the catalog already is skipped, one with a nearly
    identical title is written with a warning. Either way the fields no source
    knows (modalities, representation, contribution, code) are TODOs, and
    existing files are never overwritten.
    """
    if bool(identifiers) == (bib_file is not None):
        raise click.UsageError("give paper identifiers (arxiv:ID, doi:DOI) or --bibtex FILE, one of the two")
    if not catalog_dir.is_dir():
        raise click.ClickException(
            f"catalog directory '{catalog_dir}' not found: run from the repository root or pass --catalog DIR"
        )
    if identifiers:
        from ai4radiology.cli.lookup import add_identifiers

        add_identifiers(catalog_dir, identifiers, settings)
        return
    assert bib_file is not None
    source = "standard input" if bib_file.name == "<stdin>" else bib_file.name
    try:
        entries = parse_entries(bib_file.read())
    except BibtexError as exc:
        raise click.ClickException(f"cannot read {source}:\n{exc}") from None
    except UnicodeDecodeError:
        raise click.ClickException(f"cannot read {source}: not UTF-8 text") from None

    # Records may be mid-edit: only ids and duplicates matter, so the cross-record rules are skipped.
    catalog = load_catalog(catalog_dir, cross_checks=False).catalog
    vocabulary, taken = Vocabulary.of(catalog), taken_ids(catalog, PAPER)
    known = KnownPapers(catalog_identities(catalog))
    today, written = dt.date.today(), 0
    for entry in entries:
        record_id = paper_id(entry, taken)
        values = paper_values(entry, record_id, today)
        path = PAPER.path(catalog_dir, record_id)
        identity = Identity.of(path.as_posix(), values)
        duplicate = known.find(identity)
        if duplicate and duplicate.certain:
            where = f" (line {entry.line})" if entry.line is not None else ""
            click.echo(
                f"warning: skipped @{entry.key}{where}: {duplicate.reason} as {duplicate.record.source}", err=True
            )
            continue
        try:
            write_atomic(path, scaffold(PAPER, values, vocabulary, "ai4radiology add"), overwrite=False)
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
